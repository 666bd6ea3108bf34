import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { DatabaseError, openDatabase } from "../src/index.js";
import { EARLIER_HASHES, loadMigrations } from "../src/migrations.js";
import { freePort } from "../src/testing.js";
import { freshPostgresUrl } from "./support.js";

async function openError(url: string | undefined, options = {}) {
  const error = await openDatabase(url, options).then(
    async (d) => {
      await d.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatabaseError);
  return error as DatabaseError;
}

async function tablesIn(url: string): Promise<string[]> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await client<{ t: string }[]>`
      SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
      WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`;
    return rows.map((r) => r.t);
  } finally {
    await client.end();
  }
}

describe("opening with bad input", () => {
  it.each([
    ["mysql://user@host/db", /unsupported database scheme "mysql:"/],
    ["not a url", /is not a URL; expected postgres:\/\//],
    ["postgres://", /names no host/],
    ["pglite:", /names no directory/],
    ["postgres://u:secret@host:99999/db", /out of range|is not a URL/],
  ])("refuses the malformed URL %s and says what is expected", async (url, message) => {
    const error = await openError(url);
    expect(error.code).toBe("DB_URL_INVALID");
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("secret");
  });

  it("says an unreachable host is unreachable, naming host and port", async () => {
    const port = await freePort();
    const error = await openError(`postgres://u:secret@127.0.0.1:${port}/db`, {
      connectTimeout: 2,
    });
    expect(error.code).toBe("DB_UNREACHABLE");
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).not.toContain("secret");
  });

  it("says wrong credentials are wrong credentials", async () => {
    const url = new URL(await freshPostgresUrl());
    url.password = "wrong-password";
    const error = await openError(url.toString());
    expect(error.code).toBe("DB_AUTH_FAILED");
    expect(error.message).toMatch(/refused the credentials/);
    expect(error.message).not.toContain("wrong-password");
  });

  it("names a database that does not exist", async () => {
    const url = new URL(await freshPostgresUrl());
    url.pathname = "/no_such_database";
    const error = await openError(url.toString());
    expect(error.code).toBe("DB_NOT_FOUND");
    expect(error.message).toContain("no_such_database");
  });

  it("refuses a schema from the future and writes nothing", async () => {
    const url = await freshPostgresUrl();
    await (await openDatabase(url)).close();
    const client = postgres(url, { max: 1, onnotice: () => {} });
    await client`INSERT INTO bitcoim.migrations (tag, hash) VALUES ('9999_from_the_future', 'x')`;
    await client.end();
    const before = await tablesIn(url);
    const error = await openError(url);
    expect(error.code).toBe("DB_SCHEMA_TOO_NEW");
    expect(error.message).toContain("9999_from_the_future");
    expect(error.message).toContain((await loadMigrations()).at(-1)!.tag);
    expect(await tablesIn(url)).toEqual(before);
  });

  it("refuses a changed migration", async () => {
    const url = await freshPostgresUrl();
    await (await openDatabase(url)).close();
    const client = postgres(url, { max: 1, onnotice: () => {} });
    await client`UPDATE bitcoim.migrations SET hash = 'edited' WHERE tag = '0000_initial'`;
    await client.end();
    expect((await openError(url)).code).toBe("DB_MIGRATION_CHANGED");
  });

  it("opens a database that applied a migration before only its comments changed", async () => {
    const migrations = await loadMigrations();
    for (const [tag, earlier] of Object.entries(EARLIER_HASHES)) {
      const now = migrations.find((m) => m.tag === tag);
      // The statements are those that were applied; only the file's hash moved.
      expect(now?.statementsHash).toBe(earlier.statements);
      expect(now?.hash).not.toBe(earlier.file);
    }
    const url = await freshPostgresUrl();
    await (await openDatabase(url)).close();
    const client = postgres(url, { max: 1, onnotice: () => {} });
    const [tag, earlier] = Object.entries(EARLIER_HASHES)[0]!;
    await client`UPDATE bitcoim.migrations SET hash = ${earlier.file} WHERE tag = ${tag}`;
    await client.end();
    await (await openDatabase(url)).close();
  });

  it("with migrations off, refuses an unmigrated database and writes nothing", async () => {
    const url = await freshPostgresUrl();
    const error = await openError(url, { migrate: false });
    expect(error.code).toBe("DB_SCHEMA_OUTDATED");
    expect(error.message).toMatch(/bitcoim migrate/);
    expect(await tablesIn(url)).toEqual([]);
  });

  it("says an embedded data directory that cannot be used cannot be used", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "bitcoim-db-")), "a-file");
    await writeFile(file, "not a directory");
    const error = await openError(`pglite:${file}`);
    expect(error.code).toBe("DB_DATA_DIR");
    expect(error.message).toContain(file);
  });
});
