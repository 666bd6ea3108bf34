/** The sends lock, and the wallet coin locks sends hold: given back, swept. */
import { type Handle, inTransaction } from "@bitcoim/accounts";
import { pgError, withdrawals } from "@bitcoim/db";
import { BitcoinNodeError, inputsOf, type Outpoint } from "@bitcoim/wallet";
import { eq, sql } from "drizzle-orm";
import type { OrdersContext } from "./context.js";
import { OrdersError } from "./errors.js";

/** bitcoIM's advisory lock namespace ("btci") and, in it, the on-chain sends' key. */
const SENDS_LOCK = sql`1651794793, 3`;

/**
 * One send built and broadcast at a time, across processes: a build funds
 * with coins no other build has locked and not yet recorded, the next one
 * can spend this one's change, and `sweepLocks` never meets a build
 * half-way. The lock is held by a transaction of its own that does nothing
 * else; the build's own writes go through other connections. With a
 * single-connection database (PGlite: one process), the process's turn
 * (`oneSendAtATime`) is the lock.
 */
export async function withSendsLock<T>(ctx: OrdersContext, work: () => Promise<T>): Promise<T> {
  if (ctx.singleConnection) return work();
  const done: { value?: T; ok: boolean } = { ok: false };
  try {
    return await inTransaction(ctx.db, async (tx) => {
      // A holder cut off from the database keeps the lock until its connection
      // dies: wait a bounded time, then say so (the order stays pending).
      const wait = Math.max(1, Math.floor(ctx.sendsLockTimeoutMs));
      await tx.execute(sql.raw(`set local lock_timeout = ${wait}`));
      await tx.execute(sql`select pg_advisory_xact_lock(${SENDS_LOCK})`).catch((error: unknown) => {
        if (pgError(error)?.code !== "55P03") throw error;
        throw new OrdersError(
          "SENDS_BUSY",
          "other payments are being sent and this one could not get its turn; nothing was paid and your payment stays pending — try again in a moment",
          {},
          { cause: error },
        );
      });
      done.value = await work();
      done.ok = true;
      return done.value;
    });
  } catch (error) {
    // The lock's transaction holds nothing else: once the send went out, a
    // connection lost while ending it must not turn the payment into an error.
    if (done.ok) return done.value as T;
    throw error;
  }
}

/**
 * Gives coins back to the wallet. Best effort: a node that restarted has
 * forgotten its locks, and a failure here costs only coins unavailable
 * until `sweepLocks` or a node restart, never money. Core unlocks all or
 * none of a list, so a list it refuses (-8: a coin not locked) is retried
 * one coin at a time; a node that does not answer is not asked again.
 */
export async function unlockCoins(ctx: OrdersContext, inputs: readonly Outpoint[]): Promise<void> {
  if (inputs.length === 0) return;
  const refused = await ctx.node.lockUnspent(true, inputs).then(
    () => false,
    // -8: one of them is not locked (spent, or the node restarted); others may be.
    (error: unknown) => error instanceof BitcoinNodeError && error.rpcCode === -8,
  );
  if (!refused || inputs.length === 1) return;
  for (const input of inputs) await ctx.node.lockUnspent(true, [input]).catch(() => undefined);
}

/** The coins of a send kept with its withdrawal (its funded draft); none when unknown. */
export function coinsOf(draft: string | null): Outpoint[] {
  try {
    return draft ? inputsOf(draft) : [];
  } catch {
    return [];
  }
}

/**
 * Unlocks wallet coins that no unfinished send holds: locks left by a
 * funding whose reply was lost, or by a process that died between funding
 * and recording its intent. The locks are listed first; then, if no build
 * is running anywhere (the sends lock is free), whatever no intent holds
 * was locked before that build-free moment by a build that is gone. Node
 * calls happen outside the transaction. The gateway's wallet is the
 * gateway's: coins locked by hand are unlocked too.
 */
export async function sweepLocks(ctx: OrdersContext): Promise<Outpoint[]> {
  // One process: its turn is the lock, and no build of it runs meanwhile.
  if (ctx.singleConnection)
    return ctx.oneSendAtATime(() => sweep(ctx, async (read) => read(ctx.db)));
  return sweep(ctx, (read) =>
    inTransaction(ctx.db, async (tx) => {
      const got = await tx.execute(sql`select pg_try_advisory_xact_lock(${SENDS_LOCK}) as got`);
      return lockTaken(got) ? read(tx) : undefined;
    }),
  );
}

/** Lists the locks, reads the unfinished sends' coins where no build runs, unlocks the rest. */
async function sweep(
  ctx: OrdersContext,
  whereNoBuildRuns: (
    read: (db: Handle) => Promise<Set<string>>,
  ) => Promise<Set<string> | undefined>,
): Promise<Outpoint[]> {
  const locked = await ctx.node.listLockUnspent();
  if (locked.length === 0) return [];
  const held = await whereNoBuildRuns(async (db) => {
    const open = await db
      .select({ draft: withdrawals.rawTx })
      .from(withdrawals)
      .where(eq(withdrawals.state, "intent"));
    return new Set(open.flatMap((w) => coinsOf(w.draft)).map((o) => `${o.txid}:${o.vout}`));
  });
  if (!held) return [];
  const orphans = locked.filter((o) => !held.has(`${o.txid}:${o.vout}`));
  await unlockCoins(ctx, orphans);
  return orphans;
}

/** postgres.js answers rows as an array; PGlite as `{ rows }`. */
function lockTaken(result: unknown): boolean {
  const rows = Array.isArray(result) ? result : (result as { rows?: unknown[] }).rows;
  return (rows?.[0] as { got?: unknown } | undefined)?.got === true;
}
