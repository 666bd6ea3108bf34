/**
 * The gateway processes serving one component domain (several connections
 * of one component on ejabberd, ARCHITECTURE.md's scaling out), so that one
 * leaving does not tell the users the gateway is gone while others still
 * serve them, and one starting does not forget who is online while others
 * are keeping count.
 *
 * Design: each process holds a shared session advisory lock (ROLL_CALL) on
 * a connection reserved for its lifetime; a crashed process's lock goes
 * with its connection. A process is alone when it can also take that lock
 * exclusively (a session's own locks never conflict with each other).
 * Leavers take turns (LEAVING), drop their share, then look: the last one
 * holds the lock exclusively while it says goodbye, so that a process
 * starting meanwhile joins, and announces itself, only after that goodbye.
 * PGlite is one process: always alone.
 */
import type { Database, Session } from "@bitcoim/db";
import type { Peers } from "@bitcoim/xmpp";
import { LOCK_NAMESPACE } from "./exclusive.js";

const ROLL_CALL = `${LOCK_NAMESPACE}, 4`;
const LEAVING = `${LOCK_NAMESPACE}, 5`;
/** How long a leaver waits for others leaving at the same moment, then says goodbye anyway. */
const LEAVING_WAIT = "5s";

export interface JoinedPeers extends Peers {
  /** Gives the reserved connection back (after `leave`, or without a goodbye at all). */
  close(): Promise<void>;
}

export async function joinPeers(
  database: Pick<Database, "backend" | "session">,
): Promise<JoinedPeers> {
  if (database.backend === "pglite") {
    return { alone: async () => true, leave: (goodbye) => goodbye(), close: async () => {} };
  }
  const session = await database.session();
  try {
    // Waits while a last process says goodbye (it holds the lock exclusively).
    await session.query(`select pg_advisory_lock_shared(${ROLL_CALL})`);
  } catch (error) {
    await session.release();
    throw error;
  }
  let left: Promise<void> | undefined;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      await session.query("select pg_advisory_unlock_all()").catch(() => {});
      await session.release();
    })();
    return closed;
  };
  return {
    alone: () => takeAlone(session, true),
    leave(goodbye) {
      left ??= (async () => {
        let last = true;
        try {
          await session.exec(`set lock_timeout = '${LEAVING_WAIT}'`);
          await session.query(`select pg_advisory_lock(${LEAVING})`);
          await session.query(`select pg_advisory_unlock_shared(${ROLL_CALL})`);
          last = await takeAlone(session, false);
          await session.query(`select pg_advisory_unlock(${LEAVING})`);
        } catch {
          // The database cannot say who is left: say goodbye, as a lone process would.
        }
        if (last) await goodbye();
        await close();
      })();
      return left;
    },
    close,
  };
}

/**
 * Takes the roll call's lock exclusively if no other process holds it; with
 * `giveBack` false it stays held until the session's locks are dropped.
 */
async function takeAlone(session: Session, giveBack: boolean): Promise<boolean> {
  const [row] = await session.query<{ got: boolean }>(
    `select pg_try_advisory_lock(${ROLL_CALL}) as got`,
  );
  const got = row?.got === true;
  if (got && giveBack) await session.query(`select pg_advisory_unlock(${ROLL_CALL})`);
  return got;
}
