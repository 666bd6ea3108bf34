import { PGlite } from "@electric-sql/pglite";
import type { BitcoimDb } from "./backend.js";

/** Runs work one piece at a time, in call order. */
export type Turn = <T>(work: () => Promise<T>) => Promise<T>;

export function createTurn(): Turn {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** The client drizzle wraps: a PGlite instance, or postgres.js's `sql` with its parsed options. */
function clientOf(db: BitcoimDb): unknown {
  return (db as unknown as { $client?: unknown }).$client;
}

/**
 * Whether `db` runs one statement at a time for the whole process (PGlite):
 * code that would hold a transaction open while another one runs must not,
 * there, or it waits for itself.
 */
export function isSingleConnection(db: BitcoimDb): boolean {
  return clientOf(db) instanceof PGlite;
}

/**
 * How many statements `db` can run at once: 1 for PGlite, the pool's size
 * for PostgreSQL; undefined for a client this package did not make and
 * cannot read. Code that holds one connection while it works on another (a
 * lock's transaction) needs at least 2, or it waits for itself.
 */
export function connectionLimit(db: BitcoimDb): number | undefined {
  const client = clientOf(db);
  if (client instanceof PGlite) return 1;
  const max = (client as { options?: { max?: unknown } } | undefined)?.options?.max;
  return typeof max === "number" && max > 0 ? max : undefined;
}

const TURN = Symbol.for("bitcoim.db.turn");

/**
 * The turn that stands in for PostgreSQL's advisory locks on a
 * single-connection database (PGlite), where every user of the client is in
 * this process. It is kept on the client itself, so that everything working
 * on the same database (two `Orders`, say) takes the same turn; undefined
 * for a PostgreSQL pool, whose locks are the server's.
 */
export function processTurn(db: BitcoimDb): Turn | undefined {
  const client = clientOf(db);
  if (!(client instanceof PGlite)) return undefined;
  const holder = client as unknown as { [TURN]?: Turn };
  holder[TURN] ??= createTurn();
  return holder[TURN];
}
