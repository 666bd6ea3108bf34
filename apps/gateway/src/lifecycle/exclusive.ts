/**
 * "Once across all gateway processes" (docs/architecture.md §7).
 *
 * Design: each tick of a singleton loop opens a transaction and asks for
 * `pg_try_advisory_xact_lock(BITCOIM, job)`. Whoever gets it runs the work
 * (on other pooled connections, in its own transactions) while the lock's
 * transaction stays open; the others skip this tick. The lock ends with the
 * transaction — commit, rollback, or the connection dying with the process —
 * so a crashed leader can never keep the lock, and no unlock call can reach
 * the wrong pooled connection (the trap of session locks on a pool). It costs
 * one pooled connection per running job.
 *
 * PGlite is one process with one connection: holding a transaction there
 * would block the work itself, and no other process can open its data
 * directory, so the work just runs.
 */
import type { Database } from "@bitcoim/db";

/** Namespace of bitcoIM's advisory locks: "btci" as an int4. */
export const LOCK_NAMESPACE = 0x62746369;

/**
 * One id per job that must run once; never reuse a number (3 is
 * @bitcoim/orders' on-chain sends, 4 and 5 the gateway processes' roll
 * call, peers.ts).
 */
export const JOBS = { deposits: 1, orders: 2 } as const;
export type Job = keyof typeof JOBS;

export type Exclusive = <T>(
  job: Job,
  work: () => Promise<T>,
) => Promise<{ ran: true; value: T } | { ran: false }>;

export function createExclusive(database: Pick<Database, "db" | "backend">): Exclusive {
  if (database.backend === "pglite") {
    return async (_job, work) => ({ ran: true, value: await work() });
  }
  const { db } = database;
  return (job, work) =>
    db.transaction(async (tx) => {
      const result = await tx.execute(
        `SELECT pg_try_advisory_xact_lock(${LOCK_NAMESPACE}, ${JOBS[job]}) AS got`,
      );
      if (rowsOf(result)[0]?.got !== true) return { ran: false } as const;
      return { ran: true, value: await work() } as const;
    });
}

/** postgres.js returns the rows as an array; other drivers as `{ rows }`. */
function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
}
