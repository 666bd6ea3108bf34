/**
 * The gateway processes serving one component domain (several connections
 * of one component on ejabberd, ARCHITECTURE.md's scaling out), so that one
 * leaving does not tell the users the gateway is gone while others still
 * serve them, and one starting does not forget who is online while others
 * are keeping count.
 *
 * Design: each process holds a shared session advisory lock (the roll call)
 * on a connection of its own, outside the pool; a crashed process's lock
 * goes with its connection, and a connection this process lost is answered
 * again (non-blocking) before the roll call is next read. A process is alone
 * when it can also take the lock exclusively (a session's own locks never
 * conflict with each other). Leavers take turns (LEAVING): each looks while
 * still holding its share, and drops it if another is there, so that of
 * several leaving at once exactly one finds itself last. The last one holds
 * the lock exclusively while it says goodbye, so that a process starting
 * meanwhile joins, and announces itself, after that goodbye.
 * Needs a direct connection or session pooling (a transaction pooler would
 * hand the lock to a server connection others reuse). PGlite is one
 * process: always alone.
 */
import type { Database, OwnConnection } from "@bitcoim/db";
import type { Peers } from "@bitcoim/xmpp";
import type { Logger } from "../log.js";
import { LOCK_NAMESPACE } from "./exclusive.js";

const ROLL_CALL = `${LOCK_NAMESPACE}, 4`;
const LEAVING = `${LOCK_NAMESPACE}, 5`;
/** How long a leaver waits for others leaving at the same moment; then it says goodbye anyway. */
const LEAVING_WAIT_MS = 5_000;

export interface JoinedPeers extends Peers {
  /** Leaves the roll call without a goodbye (its connection closes). */
  close(): Promise<void>;
}

export interface PeersOptions {
  database: Pick<Database, "backend" | "connect">;
  log: Pick<Logger, "warn">;
  /** How long start-up waits for a last process's goodbye (default 30 s); then it starts anyway. */
  joinWaitMs?: number;
  /** A query on the roll call's connection slower than this (default 10 s) drops the connection. */
  queryTimeoutMs?: number;
}

export async function joinPeers(options: PeersOptions): Promise<JoinedPeers> {
  const { database, log } = options;
  if (database.backend === "pglite") {
    return { alone: async () => true, leave: (goodbye) => goodbye(), close: async () => {} };
  }
  const queryTimeoutMs = options.queryTimeoutMs ?? 10_000;
  let connection: OwnConnection = await database.connect();
  /** `losses()` when the share was taken: it is still held while that has not moved. */
  let share: number | undefined;
  const held = () => share !== undefined && share === connection.losses();

  /** Drops a connection that stopped answering (its locks with it) for a new one. */
  async function replace(): Promise<void> {
    const lost = connection;
    share = undefined;
    connection = await database.connect();
    void lost.close().catch(() => {});
  }

  /** A query on the roll call's connection; once more, on a new session, if it was cut. */
  async function ask<Row>(text: string): Promise<Row[]> {
    const losses = connection.losses();
    try {
      return await askOnce<Row>(text);
    } catch (error) {
      // Cut meanwhile: the connection opens anew for the next query.
      if (connection.losses() === losses) throw error;
      return askOnce<Row>(text);
    }
  }

  async function askOnce<Row>(text: string): Promise<Row[]> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the roll call's query took over ${queryTimeoutMs} ms`)),
        queryTimeoutMs,
      );
    });
    try {
      return await Promise.race([connection.query<Row>(text), late]);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("the roll call's query took")) {
        await replace();
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
  const got = async (text: string) =>
    (await ask<{ got: boolean }>(`${text} as got`))[0]?.got === true;

  /** Waits up to `waitMs` for a session lock: the bound in a transaction of its own, which the lock outlives. */
  async function lockWithin(call: string, waitMs: number): Promise<void> {
    try {
      await ask(`begin; set local lock_timeout = ${Math.floor(waitMs)}; select ${call}; commit`);
    } catch (error) {
      await ask("rollback").catch(() => {});
      throw error;
    }
  }

  /** Takes this process's share, waiting up to `waitMs` for a last process saying goodbye. */
  async function takeShare(waitMs: number): Promise<boolean> {
    if (held()) return true;
    const before = connection.losses();
    if (waitMs <= 0) {
      if (!(await got(`select pg_try_advisory_lock_shared(${ROLL_CALL})`))) return false;
    } else {
      await lockWithin(`pg_advisory_lock_shared(${ROLL_CALL})`, waitMs);
    }
    share = before === connection.losses() ? before : undefined;
    return held();
  }

  /** Whether no other process holds a share; with `keep`, the lock stays held exclusively. */
  async function noOther(keep: boolean): Promise<boolean> {
    const alone = await got(`select pg_try_advisory_lock(${ROLL_CALL})`);
    if (alone && !keep) await ask(`select pg_advisory_unlock(${ROLL_CALL})`);
    return alone;
  }

  await takeShare(options.joinWaitMs ?? 30_000).catch((error: unknown) =>
    log.warn(
      { err: error },
      "could not answer the gateway processes' roll call (another may still be saying goodbye); starting anyway",
    ),
  );

  let left: Promise<void> | undefined;
  const close = () => connection.close().catch(() => {});
  return {
    // A share lost with its connection is taken again first; a process saying
    // goodbye (holding the lock) is still there. The answer stands only if
    // the share was held throughout.
    async alone() {
      for (let attempt = 0; attempt < 2; attempt++) {
        if (!(await takeShare(0))) return false;
        const answer = await noOther(false);
        if (held()) return answer;
      }
      return false;
    },
    leave(goodbye) {
      left ??= (async () => {
        let last = true;
        try {
          await lockWithin(`pg_advisory_lock(${LEAVING})`, LEAVING_WAIT_MS);
          last = await noOther(true);
          if (!last && held()) await ask(`select pg_advisory_unlock_shared(${ROLL_CALL})`);
          // The last keeps its turn until its connection closes, after the goodbye.
          if (!last) await ask(`select pg_advisory_unlock(${LEAVING})`);
        } catch (error) {
          log.warn({ err: error }, "the roll call could not say who is left; saying goodbye");
        }
        try {
          if (last) await goodbye();
        } finally {
          await close();
        }
      })();
      return left;
    },
    close,
  };
}
