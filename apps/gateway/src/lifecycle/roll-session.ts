/**
 * The roll call's connection (peers.ts): one of its own, outside the pool.
 * Every query is bounded in time; a connection that stops answering is
 * dropped (its session locks with it) for a new one, and a query cut
 * mid-way runs once more on the new session. What the session holds is
 * always asked of the server (pg_locks), never remembered here.
 */
import type { Database, OwnConnection } from "@bitcoim/db";

class TooSlow extends Error {}

export interface RollSession {
  /** Runs `text` (no parameters: several statements may run as one); `waitMs` more for a lock wait. */
  ask<Row>(text: string, waitMs?: number): Promise<Row[]>;
  /** Milliseconds since a session was last seen lost (Infinity: never). */
  sinceLoss(): number;
  close(): Promise<void>;
}

export function rollSession(database: Pick<Database, "connect">, timeoutMs: number): RollSession {
  let connection: Promise<OwnConnection> | undefined;
  let closed = false;
  let lostAt = Number.NEGATIVE_INFINITY;
  let seenLosses = 0;

  // The pending connection is kept, so that callers at once share one session.
  async function current(): Promise<OwnConnection> {
    if (closed) throw new Error("the roll call has ended");
    connection ??= database.connect();
    const conn = await connection;
    if (conn.losses() !== seenLosses) {
      seenLosses = conn.losses();
      lostAt = Date.now();
    }
    return conn;
  }
  async function drop(stuck: OwnConnection) {
    if (connection && (await connection) === stuck) {
      connection = undefined;
      seenLosses = 0;
      lostAt = Date.now();
    }
    void stuck.close().catch(() => {});
  }
  async function within<T>(work: Promise<T>, ms: number): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TooSlow(`the roll call's query took over ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  }
  async function once<Row>(text: string, waitMs: number): Promise<Row[]> {
    const conn = await current();
    try {
      return await within(conn.query<Row>(text), timeoutMs + waitMs);
    } catch (error) {
      if (error instanceof TooSlow) await drop(conn);
      throw error;
    }
  }

  return {
    async ask<Row>(text: string, waitMs = 0) {
      const conn = await current();
      const losses = conn.losses();
      try {
        return await once<Row>(text, waitMs);
      } catch (error) {
        // Cut meanwhile: the next query opens a new session.
        if (error instanceof TooSlow || conn.losses() === losses) throw error;
        return once<Row>(text, waitMs);
      }
    },
    sinceLoss: () => Date.now() - lostAt,
    async close() {
      closed = true;
      const last = connection;
      connection = undefined;
      await (await last)?.close().catch(() => {});
    },
  };
}
