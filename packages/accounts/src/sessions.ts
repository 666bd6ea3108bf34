/**
 * Multi-step command sessions (`command_sessions`), in the database so that
 * any gateway process can take the next step of a session another one
 * started. Protocol-neutral: a session belongs to one bare JID, runs one
 * command (`node`) at one contact (`target`), and carries a small JSON state.
 * Each step is a compare-and-set on `step`, so that of two answers to the
 * same step (a double-tap, a retransmission) exactly one goes on.
 */
import { randomBytes } from "node:crypto";
import { type BitcoimDb, commandSessions } from "@bitcoim/db";
import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";

export type SessionState = Record<string, unknown>;

export interface CommandSession {
  readonly id: string;
  readonly jid: string;
  readonly node: string;
  readonly target: string;
  /** Steps taken so far: 0 right after `open`. */
  readonly step: number;
  readonly state: SessionState;
  readonly expiresAt: Date;
}

/** What a session id names for one JID: another JID's session is `unknown` to it. */
export type SessionLookup =
  | { readonly kind: "live"; readonly session: CommandSession }
  | { readonly kind: "unknown" }
  | { readonly kind: "expired" }
  | { readonly kind: "ended" };

export interface CommandSessions {
  open(input: {
    jid: string;
    node: string;
    target: string;
    state: SessionState;
    ttlMs: number;
  }): Promise<CommandSession>;
  find(id: string, jid: string): Promise<SessionLookup>;
  /**
   * Takes step `from` → `from + 1` with `state`, or ends the session; the
   * session stays alive `ttlMs` more. Undefined when the session is no
   * longer at step `from`, has ended or expired, or is not `jid`'s.
   */
  advance(input: {
    id: string;
    jid: string;
    from: number;
    state: SessionState;
    ttlMs: number;
    end?: boolean;
  }): Promise<CommandSession | undefined>;
}

/** Sessions ended or expired this long ago are deleted when another one opens. */
const KEEP_MS = 60 * 60 * 1000;

export function createCommandSessions({ db }: { db: BitcoimDb }): CommandSessions {
  const table = commandSessions;
  const later = (ms: number) => new Date(Date.now() + ms);
  const shape = (row: typeof table.$inferSelect): CommandSession => ({
    id: row.id,
    jid: row.jid,
    node: row.node,
    target: row.target,
    step: row.step,
    state: row.state,
    expiresAt: row.expiresAt,
  });

  return {
    async open({ jid, node, target, state, ttlMs }) {
      await db.delete(table).where(lt(table.expiresAt, new Date(Date.now() - KEEP_MS)));
      const id = randomBytes(12).toString("base64url");
      const [row] = await db
        .insert(table)
        .values({ id, jid, node, target, state, expiresAt: later(ttlMs) })
        .returning();
      return shape(row!);
    },
    async find(id, jid) {
      const [row] = await db
        .select()
        .from(table)
        .where(and(eq(table.id, id), eq(table.jid, jid)));
      if (!row) return { kind: "unknown" };
      if (row.endedAt) return { kind: "ended" };
      if (row.expiresAt.getTime() <= Date.now()) return { kind: "expired" };
      return { kind: "live", session: shape(row) };
    },
    async advance({ id, jid, from, state, ttlMs, end = false }) {
      const [row] = await db
        .update(table)
        .set({
          step: sql`${table.step} + 1`,
          state,
          expiresAt: later(ttlMs),
          ...(end ? { endedAt: new Date() } : {}),
        })
        .where(
          and(
            eq(table.id, id),
            eq(table.jid, jid),
            eq(table.step, from),
            isNull(table.endedAt),
            gt(table.expiresAt, new Date()),
          ),
        )
        .returning();
      return row ? shape(row) : undefined;
    },
  };
}
