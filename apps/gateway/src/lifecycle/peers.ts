/**
 * The gateway processes serving one component domain (several connections
 * of one component on ejabberd, docs/architecture.md §7), so that one
 * leaving does not tell the users the gateway is gone while others still
 * serve them, and one starting does not forget who is online while others
 * are keeping count.
 *
 * Design: each process holds a shared session advisory lock (the roll call)
 * on a connection of its own (roll-session.ts); a crashed process's lock
 * goes with its connection, and a connection this process lost is answered
 * again by a keeper every few seconds. A process is alone when it can also
 * take the lock exclusively (a session's own locks never conflict with each
 * other). Leavers take turns (LEAVING): each looks while still holding its
 * share and drops everything if another is there, so that of several
 * leaving at once exactly one finds itself last. The last one holds the
 * lock exclusively while it says goodbye, so that a process starting
 * meanwhile joins, and announces itself, after that goodbye. One process
 * leads (another session lock, taken by whoever asks first while none holds
 * it): only it announces the gateway, at start-up and after reconnecting.
 * Needs a direct connection or session pooling. PGlite is one process:
 * always alone, and always the leader.
 */
import type { Database } from "@bitcoim/db";
import type { Peers } from "@bitcoim/xmpp";
import type { Logger } from "../log.js";
import { LOCK_NAMESPACE } from "./exclusive.js";
import { rollSession } from "./roll-session.js";

const ROLL_CALL = `${LOCK_NAMESPACE}, 4`;
const LEAVING = `${LOCK_NAMESPACE}, 5`;
/** Held, exclusively and for as long as it runs, by the process that announces the gateway. */
const LEAD = `${LOCK_NAMESPACE}, 6`;
/** Whether this session holds lock `objid` of our namespace in `mode`, asked of the server (two-int4 keys: classid, objid). */
const holds = (objid: number, mode: "ShareLock" | "ExclusiveLock") =>
  `exists (select 1 from pg_locks where locktype = 'advisory' and classid = ${LOCK_NAMESPACE}
  and objid = ${objid} and objsubid = 2 and mode = '${mode}' and granted and pid = pg_backend_pid())`;
const HOLDS_SHARE = holds(4, "ShareLock");
const HOLDS_LEAD = holds(6, "ExclusiveLock");

export interface JoinedPeers extends Peers {
  /** Leaves the roll call without a goodbye (its connection closes). */
  close(): Promise<void>;
}

export interface PeersOptions {
  database: Pick<Database, "backend" | "connect">;
  log: Pick<Logger, "warn">;
  /** How long start-up waits for a last process's goodbye (default 30 s); then it starts anyway. */
  joinWaitMs?: number;
  /** How long leavers wait for each other's turn (default 5 s); then one says goodbye anyway. */
  leavingWaitMs?: number;
  /** How often a lost share is taken again (default 5 s). */
  keepEveryMs?: number;
  /** A query on the roll call's connection slower than this (default 10 s) drops the connection. */
  queryTimeoutMs?: number;
}

export async function joinPeers(options: PeersOptions): Promise<JoinedPeers> {
  const { database, log } = options;
  if (database.backend === "pglite") {
    return {
      alone: async () => true,
      leave: (goodbye) => goodbye(),
      leads: async () => true,
      close: async () => {},
    };
  }
  const session = rollSession(database, options.queryTimeoutMs ?? 10_000);
  const keepEveryMs = options.keepEveryMs ?? 5_000;
  const got = async (expression: string, waitMs = 0) =>
    (await session.ask<{ got: boolean }>(`select ${expression} as got`, waitMs))[0]?.got === true;
  /** Holds the share, taking it if need be without waiting; false while a last process says goodbye. */
  const ensureShare = () =>
    got(`case when ${HOLDS_SHARE} then true else pg_try_advisory_lock_shared(${ROLL_CALL}) end`);
  /** Waits up to `waitMs` for a session lock: the bound in a transaction the lock outlives. */
  async function lockWithin(call: string, waitMs: number): Promise<void> {
    const bound = Math.max(1, Math.ceil(waitMs));
    try {
      await session.ask(`begin; set local lock_timeout = ${bound}; select ${call}; commit`, bound);
    } catch (error) {
      await session.ask("rollback").catch(() => {});
      throw error;
    }
  }

  await lockWithin(`pg_advisory_lock_shared(${ROLL_CALL})`, options.joinWaitMs ?? 30_000).catch(
    (error: unknown) =>
      log.warn(
        { err: error },
        "could not answer the gateway processes' roll call (another may still be saying goodbye); starting anyway",
      ),
  );

  let failing = false;
  let keeping: Promise<unknown> = Promise.resolve();
  const keeper = setInterval(() => {
    keeping = ensureShare().then(
      () => {
        failing = false;
      },
      (error: unknown) => {
        if (!failing) log.warn({ err: error }, "the roll call could not be answered; trying again");
        failing = true;
      },
    );
  }, keepEveryMs);
  keeper.unref();
  const stopKeeping = async () => {
    clearInterval(keeper);
    await keeping;
  };

  /**
   * After sessions were cut (a database restart cuts every process's at
   * once), the others' keepers take their shares back within `keepEveryMs`:
   * until then, nobody can be known to be alone.
   */
  const settleMs = 2 * keepEveryMs + Math.min(1_000, keepEveryMs);
  const unsettled = () => Math.max(0, settleMs - session.sinceLoss());

  let left: Promise<void> | undefined;
  return {
    // Someone saying goodbye (holding the lock) is still there.
    alone: async () => {
      if (!(await ensureShare()) || unsettled() > 0) return false;
      const alone = await got(`pg_try_advisory_lock(${ROLL_CALL})`);
      if (alone) await session.ask(`select pg_advisory_unlock(${ROLL_CALL})`);
      return alone;
    },
    // Kept on the roll call's connection: a crashed leader's lead goes with it.
    leads: () => got(`case when ${HOLDS_LEAD} then true else pg_try_advisory_lock(${LEAD}) end`),
    leave(goodbye) {
      left ??= (async () => {
        await stopKeeping();
        let last = true;
        try {
          // Leavers at once take turns; one that waited too long looks all the same.
          await lockWithin(`pg_advisory_lock(${LEAVING})`, options.leavingWaitMs ?? 5_000).catch(
            (error: unknown) =>
              log.warn({ err: error }, "no turn among leaving processes; looking anyway"),
          );
          await ensureShare();
          const wait = unsettled();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          last = await got(`pg_try_advisory_lock(${ROLL_CALL})`);
          // Another stays: drop every share and the turn at once.
          if (!last) await session.ask("select pg_advisory_unlock_all()");
        } catch (error) {
          // The database cannot say who is left: say goodbye, as a lone process would.
          log.warn({ err: error }, "the roll call could not say who is left; saying goodbye");
        }
        try {
          if (last) await goodbye();
        } finally {
          await session.close();
        }
      })();
      return left;
    },
    async close() {
      await stopKeeping();
      await session.close();
    },
  };
}
