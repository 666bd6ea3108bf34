/** What only a real server can show: several processes and contending row locks. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, ledgerAccounts, openDatabase } from "../src/index.js";
import { loadMigrations } from "../src/migrations.js";
import { freshPostgresUrl } from "./support.js";

const run = promisify(execFile);
const script = fileURLToPath(new URL("fixtures/open-db.ts", import.meta.url));

describe("@bitcoim/db on a real PostgreSQL server", () => {
  it("migrates once when several processes open an empty database at once", async () => {
    const url = await freshPostgresUrl();
    const outputs = await Promise.all(
      [1, 2, 3].map(() =>
        run(process.execPath, ["--import", "tsx", "--conditions=@bitcoim/source", script, url]),
      ),
    );
    const applied = outputs.map((o) => JSON.parse(o.stdout) as string[]);
    const all = (await loadMigrations()).map((m) => m.tag);
    expect(applied.flat().sort()).toEqual(all);
    expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
  });

  describe("row locks", () => {
    let database: Database;
    beforeAll(async () => {
      database = await openDatabase(await freshPostgresUrl());
    });
    afterAll(() => database?.close());

    it("make a second transaction wait for the first", async () => {
      const { db } = database;
      const [inflow] = await db
        .select()
        .from(ledgerAccounts)
        .where(eq(ledgerAccounts.kind, "wallet_inflow"));
      const events: string[] = [];
      let releaseFirst!: () => void;
      const firstMayCommit = new Promise<void>((r) => {
        releaseFirst = r;
      });
      let firstHasLock!: () => void;
      const locked = new Promise<void>((r) => {
        firstHasLock = r;
      });
      const first = db.transaction(async (tx) => {
        await tx
          .select()
          .from(ledgerAccounts)
          .where(eq(ledgerAccounts.id, inflow!.id))
          .for("update");
        events.push("first locked");
        firstHasLock();
        await firstMayCommit;
        events.push("first commits");
      });
      await locked;
      const second = db.transaction(async (tx) => {
        await tx
          .select()
          .from(ledgerAccounts)
          .where(eq(ledgerAccounts.id, inflow!.id))
          .for("update");
        events.push("second locked");
      });
      // The second is blocked on the lock: the server reports a waiting backend.
      await waitFor(async () => {
        const rows = (await db.execute(
          sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
        )) as unknown as { n: number }[];
        return rows[0]!.n === 1;
      });
      expect(events).toEqual(["first locked"]);
      releaseFirst();
      await Promise.all([first, second]);
      expect(events).toEqual(["first locked", "first commits", "second locked"]);
    });
  });
});

/** Polls a condition the server exposes only by querying it. */
async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
