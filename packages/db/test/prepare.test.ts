/**
 * Statements with a few parameters are prepared once per connection (see
 * src/prepare.ts); batches with many are not. Asked of the server itself:
 * `pg_prepared_statements` lists what this connection has prepared.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase, users } from "../src/index.js";
import { MAX_PREPARED_PARAMETERS } from "../src/prepare.js";
import { freshPostgresUrl } from "./support.js";

let database: Database;

beforeAll(async () => {
  database = await openDatabase(await freshPostgresUrl(), { maxConnections: 1 });
});

afterAll(async () => {
  await database?.close();
});

/** The statements this connection has prepared whose text mentions `marker`. */
async function preparedWith(marker: string): Promise<string[]> {
  // postgres.js answers `execute` with the rows themselves.
  const rows = (await database.db.execute(
    sql`select statement from pg_prepared_statements where statement like ${`%${marker}%`} and statement not like '%pg_prepared_statements%'`,
  )) as unknown as { statement: string }[];
  return rows.map((r) => r.statement);
}

describe("prepared statements on a real PostgreSQL server", () => {
  it("prepares a drizzle query with parameters once, and reuses it", async () => {
    for (const jid of ["a@example.org", "b@example.org", "c@example.org"]) {
      expect(await database.db.select().from(users).where(eq(users.jid, jid))).toEqual([]);
    }
    const found = await preparedWith('"bitcoim"."users"."jid" = $1');
    expect(found).toHaveLength(1);
  });

  it("leaves statements in transactions unnamed: a migration must not abort them", async () => {
    await database.db.transaction(async (tx) => {
      await tx.select().from(users).where(eq(users.username, "nobody_here"));
    });
    expect(await preparedWith('"bitcoim"."users"."username" = $1')).toEqual([]);
    await database.db.select().from(users).where(eq(users.username, "nobody_here"));
    expect(await preparedWith('"bitcoim"."users"."username" = $1')).toHaveLength(1);
  });

  it("leaves statements with many parameters unnamed: a batch's text varies with its size", async () => {
    const many = Array.from({ length: MAX_PREPARED_PARAMETERS + 1 }, (_, i) => `x${i}@example.org`);
    const rows = await database.db.execute(
      sql`select 1 as many_marker where 'z' in (${sql.join(
        many.map((jid) => sql`${jid}`),
        sql`, `,
      )})`,
    );
    expect(rows).toHaveLength(0);
    expect(await preparedWith("many_marker")).toEqual([]);
    const few = await database.db.execute(sql`select 1 as few_marker where 'z' = ${"y"}`);
    expect(few).toHaveLength(0);
    expect(await preparedWith("few_marker")).toHaveLength(1);
  });
});
