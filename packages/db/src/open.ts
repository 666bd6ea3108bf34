import type { BitcoimDb } from "./backend.js";
import { DatabaseError } from "./errors.js";
import { parseLocation } from "./location.js";
import { type MigrationStatus, migrate } from "./migrations.js";
import { openPglite } from "./pglite.js";
import { openPostgres, type PostgresOptions } from "./postgres.js";
import type { OwnConnection } from "./session.js";

export interface OpenOptions extends PostgresOptions {
  /** Apply pending migrations on open (default true). When false, pending migrations are an error. */
  migrate?: boolean;
  /** The application's state directory, home of the embedded default (default: $XDG_STATE_HOME/bitcoim). */
  stateDir?: string;
}

export interface Database {
  readonly db: BitcoimDb;
  readonly backend: "postgres" | "pglite";
  /** Where the data is, password hidden: say it in logs. */
  readonly location: string;
  /** What this open did to the schema. */
  readonly migrations: MigrationStatus;
  /**
   * A connection of its own, outside the pool, for state that lives with a
   * session, such as session advisory locks. On PGlite, the one connection.
   */
  connect(): Promise<OwnConnection>;
  close(): Promise<void>;
}

/**
 * Opens bitcoIM's database: `postgres://` / `postgresql://` (postgres.js),
 * `pglite:<dir>` or `pglite:memory` (in-process), or, with no URL, PGlite in
 * the application's state directory. Migrates it unless told not to, and
 * refuses a schema newer than this code.
 */
export async function openDatabase(url?: string, options: OpenOptions = {}): Promise<Database> {
  const location = parseLocation(url, options.stateDir);
  const backend =
    location.backend === "postgres"
      ? await openPostgres(location.url, options)
      : await openPglite(location.dataDir);
  let migrations: MigrationStatus;
  try {
    const session = await backend.session();
    try {
      migrations = await migrate(session, { apply: options.migrate ?? true });
    } finally {
      await session.release();
    }
    if (migrations.pending.length > 0) {
      throw new DatabaseError(
        "DB_SCHEMA_OUTDATED",
        `the database at ${location.display} lacks migrations ${migrations.pending.join(", ")}; ` +
          "run `bitcoim migrate` or open it with migrations on",
      );
    }
  } catch (error) {
    await backend.close();
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    db: backend.db,
    backend: location.backend,
    location: location.display,
    migrations,
    connect: () => backend.connect(),
    close: () => {
      closed ??= backend.close();
      return closed;
    },
  };
}
