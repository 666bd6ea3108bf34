import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { DatabaseError } from "./errors.js";
import type { Session } from "./session.js";

/** "bitcoim\0" as a 64-bit key: migrations of every process queue on it. */
const MIGRATION_LOCK = "7091318633633591552";
const migrationsDir = new URL("../migrations/", import.meta.url);

/**
 * Hashes that migrations had in earlier releases, accepted from databases
 * that applied them then. Only comments changed since:
 * test/bad-input.test.ts checks that each file's statements still hash as
 * they did (`statementsHash`).
 */
export const EARLIER_HASHES: Readonly<Record<string, { file: string; statements: string }>> = {
  // Its header comment named a document outside the repository.
  "0001_ledger_rules": {
    file: "ab527179b3a22d4db07b79010c345aa020cdd9ac07f1b9048c29439de7ddeec1",
    statements: "8121e4cc8fdb70d8240a886eb4a3f34c2920c13f4a9ad2f40d7c04b0aafb97a8",
  },
};

/** SHA-256 of a migration without its comment lines: what it runs. */
export function statementsHash(text: string): string {
  const code = text
    .split("\n")
    .filter((line) => !/^\s*--(?!> statement-breakpoint)/.test(line))
    .join("\n");
  return createHash("sha256").update(code).digest("hex");
}

export interface Migration {
  tag: string;
  hash: string;
  /** `statementsHash` of the file. */
  statementsHash: string;
  statements: string[];
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** The newest migration this code knows. */
  latest: string;
}

/** The committed drizzle-kit migrations, in order. */
export async function loadMigrations(): Promise<Migration[]> {
  const journal = JSON.parse(
    await readFile(new URL("meta/_journal.json", migrationsDir), "utf8"),
  ) as { entries: { tag: string }[] };
  return Promise.all(
    journal.entries.map(async ({ tag }) => {
      const text = await readFile(new URL(`${tag}.sql`, migrationsDir), "utf8");
      return {
        tag,
        hash: createHash("sha256").update(text).digest("hex"),
        statementsHash: statementsHash(text),
        statements: text
          .split("--> statement-breakpoint")
          .map((s) => s.trim())
          .filter((s) => s !== ""),
      };
    }),
  );
}

/**
 * Brings the schema up to date (or only checks it, `apply: false`), holding
 * an advisory lock so that processes starting together migrate once. Each
 * migration runs and is recorded in its own transaction.
 */
export async function migrate(
  session: Session,
  options: { apply: boolean },
): Promise<MigrationStatus> {
  const migrations = await loadMigrations();
  const latest = migrations.at(-1)?.tag ?? "";
  await session.exec(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
  try {
    if (!options.apply && !(await hasMigrationTable(session))) {
      return { applied: [], pending: migrations.map((m) => m.tag), latest };
    }
    await session.exec(`CREATE SCHEMA IF NOT EXISTS "bitcoim";
      CREATE TABLE IF NOT EXISTS "bitcoim"."migrations" (
        tag text PRIMARY KEY,
        hash text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const rows = await session.query<{ tag: string; hash: string }>(
      `SELECT tag, hash FROM "bitcoim"."migrations" ORDER BY tag`,
    );
    const known = new Map(migrations.map((m) => [m.tag, m]));
    const unknown = rows.filter((r) => !known.has(r.tag)).map((r) => r.tag);
    if (unknown.length > 0) {
      throw new DatabaseError(
        "DB_SCHEMA_TOO_NEW",
        `the database schema is newer than this code: it has migration ${unknown.join(", ")}, ` +
          `while this code knows migrations up to ${latest}. Upgrade bitcoIM before opening this database.`,
      );
    }
    for (const row of rows) {
      const earlier = EARLIER_HASHES[row.tag]?.file;
      if (known.get(row.tag)?.hash !== row.hash && earlier !== row.hash) {
        throw new DatabaseError(
          "DB_MIGRATION_CHANGED",
          `migration ${row.tag} was changed after it was applied; migrations are append-only, add a new one instead`,
        );
      }
    }
    const done = new Set(rows.map((r) => r.tag));
    const pending = migrations.filter((m) => !done.has(m.tag));
    if (!options.apply) {
      return { applied: [], pending: pending.map((m) => m.tag), latest };
    }
    for (const migration of pending) await applyOne(session, migration);
    return { applied: pending.map((m) => m.tag), pending: [], latest };
  } finally {
    await session.exec(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
  }
}

async function hasMigrationTable(session: Session): Promise<boolean> {
  const [row] = await session.query<{ found: boolean }>(
    `SELECT to_regclass('"bitcoim"."migrations"') IS NOT NULL AS found`,
  );
  return row?.found === true;
}

async function applyOne(session: Session, migration: Migration): Promise<void> {
  await session.exec("BEGIN");
  try {
    for (const statement of migration.statements) await session.exec(statement);
    await session.query(`INSERT INTO "bitcoim"."migrations" (tag, hash) VALUES ($1, $2)`, [
      migration.tag,
      migration.hash,
    ]);
    await session.exec("COMMIT");
  } catch (cause) {
    await session.exec("ROLLBACK");
    throw new DatabaseError(
      "DB_MIGRATION_FAILED",
      `migration ${migration.tag} failed and was rolled back: ${(cause as Error).message}`,
      { cause },
    );
  }
}
