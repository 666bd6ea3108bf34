import { inTransaction, type Withdrawal } from "@bitcoim/accounts";
import { followReplacement, markConfirmed, reopen } from "@bitcoim/accounts/ledger";
import { chainCursor, paymentOrders, withdrawals } from "@bitcoim/db";
import { BitcoinNodeError, type WalletTransaction } from "@bitcoim/wallet";
import { and, eq, isNotNull, ne } from "drizzle-orm";
import type { OrdersContext } from "./context.js";
import type { Order } from "./events.js";
import { replacementOf } from "./replacement.js";
import { forgotten, refundConflicted, resubmit } from "./resubmit.js";

/**
 * Follows sent on-chain payments (docs/behaviour.md §7: the payer is told
 * when one confirms, or fails); a confirmed one a reorganisation took back is
 * followed again. Confirmed `confirmations` deep: told. Conflicted
 * (Core's negative confirmations: another transaction spending the same
 * coins was mined): if that transaction is a replacement paying the same
 * address the same amount (an operator's fee bump), the send follows it;
 * otherwise, once the conflict is `confirmations` deep, the payment is
 * reversed — amount and fee back to the payer, who is told. Dropped
 * (unconfirmed and out of the node's mempool, or abandoned): broadcast
 * again, as it is — the same txid, so it can never pay twice. Abandoning a
 * send does not cancel it; spending its coins elsewhere does, and the payer
 * is refunded once that is deep enough.
 */
export async function trackSends(ctx: OrdersContext, confirmations = 1): Promise<Order[]> {
  const failures: unknown[] = [];
  await reopenReorged(ctx).catch((error: unknown) => failures.push(error));
  const sent = await ctx.db
    .select()
    .from(withdrawals)
    .where(and(eq(withdrawals.state, "sent"), isNotNull(withdrawals.txid)));
  const confirmed: Order[] = [];
  for (const w of sent) {
    const tx = await ctx.node
      .getTransaction(w.txid!)
      .catch((error: unknown) =>
        error instanceof BitcoinNodeError && error.code === "NODE_UNKNOWN_TRANSACTION"
          ? ("forgotten" as const)
          : undefined,
      );
    if (tx === "forgotten") {
      await forgotten(ctx, w, confirmations).catch((error: unknown) => failures.push(error));
      continue;
    }
    if (!tx) continue;
    if (tx.confirmations < 0) {
      // One send that cannot be settled stops no other; the caller hears of it below.
      await conflicted(ctx, w, tx, confirmations).catch((error: unknown) => failures.push(error));
      continue;
    }
    if (tx.confirmations === 0 && dropped(tx)) {
      await resubmit(ctx, tx).catch((error: unknown) => failures.push(error));
      continue;
    }
    if (tx.confirmations < confirmations) continue;
    await inTransaction(ctx.db, async (dbTx, afterCommit) => {
      const updated = await markConfirmed(dbTx, w.id);
      // Mined again after a reorganisation: the payer was told the first time.
      if (!updated || !w.orderId || w.confirmedAt) return;
      const [order] = await dbTx
        .select()
        .from(paymentOrders)
        .where(eq(paymentOrders.id, w.orderId));
      confirmed.push(order!);
      afterCommit(() =>
        ctx.events.emit("paymentConfirmedOnChain", {
          order: order!,
          txid: w.txid!,
          confirmations: tx.confirmations,
        }),
      );
    });
  }
  // One failure as itself, so that a node outage reads as one.
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw new AggregateError(failures, `${failures.length} steps of tracking sends failed`);
  }
  return confirmed;
}

const dropped = (tx: WalletTransaction) =>
  tx.trusted === false || tx.details.some((d) => d.abandoned === true);

/** The send tracker's row in `chain_cursor` (deposit cursors are keyed by wallet name). */
const SENDS_CURSOR = "bitcoim:sends";

/**
 * A confirmed send whose block a reorganisation took away goes back to
 * `sent`, to be followed again: confirmed anew, or — double-spent meanwhile
 * — reversed. One `listsinceblock` from the last block seen.
 */
async function reopenReorged(ctx: OrdersContext): Promise<void> {
  const [row] = await ctx.db.select().from(chainCursor).where(eq(chainCursor.wallet, SENDS_CURSOR));
  const since = row?.blockHash
    ? await ctx.node
        .listSinceBlock({ blockHash: row.blockHash, includeRemoved: true })
        .catch((error: unknown) => {
          // A cursor on a chain this node does not know (a node swapped, or
          // killed before it flushed the blocks it had): every send of the
          // wallet is looked at again, so one confirmed in a block that is
          // gone is followed again too.
          if (error instanceof BitcoinNodeError && error.code === "NODE_UNKNOWN_BLOCK") {
            return ctx.node.listSinceBlock({ blockHash: null, includeRemoved: true });
          }
          throw error;
        })
    : null;
  const next = since?.lastBlock ?? (await ctx.node.getBlockchainInfo()).bestBlockHash;
  // Mined again on the new chain: still confirmed, nothing to follow again.
  const mined = new Set(since?.transactions.filter((e) => e.confirmations > 0).map((e) => e.txid));
  const removed = (since?.removed ?? []).filter((e) => e.category === "send" && !mined.has(e.txid));
  // A block after the cursor can be confirmed and then reorged away before the
  // cursor moves past it: its sends are listed since the cursor, unmined.
  const unmined = (since?.transactions ?? []).filter(
    (e) => e.category === "send" && e.confirmations <= 0,
  );
  const txids = [...new Set([...removed, ...unmined].map((e) => e.txid))];
  // Most ticks: no new block, nothing reorged — nothing to write.
  if (txids.length === 0 && next === row?.blockHash) return;
  await inTransaction(ctx.db, async (tx) => {
    await reopen(tx, txids);
    await tx
      .insert(chainCursor)
      .values({ wallet: SENDS_CURSOR, blockHash: next })
      .onConflictDoUpdate({
        target: chainCursor.wallet,
        set: { blockHash: next, updatedAt: new Date() },
      });
  });
}

async function conflicted(
  ctx: OrdersContext,
  w: Withdrawal,
  tx: WalletTransaction,
  depth: number,
): Promise<void> {
  const replacement = await replacementOf(ctx, w, tx.walletConflicts);
  if (replacement !== undefined) {
    await follow(ctx, w, replacement);
    return;
  }
  if (-tx.confirmations < depth) return;
  await refundConflicted(ctx, w);
}

/**
 * The send was replaced by one paying the same: it is that one now. A
 * higher fee was the replacer's choice and is not charged to the payer; the
 * wallet's audit shows it.
 */
async function follow(ctx: OrdersContext, w: Withdrawal, txid: string): Promise<void> {
  await inTransaction(ctx.db, async (dbTx) => {
    // Another withdrawal's transaction is not this one's replacement: two payers never share one.
    const [taken] = await dbTx
      .select({ id: withdrawals.id })
      .from(withdrawals)
      .where(and(eq(withdrawals.txid, txid), ne(withdrawals.id, w.id)));
    if (taken) {
      throw new Error(`${txid} replaces withdrawal ${w.id} but belongs to withdrawal ${taken.id}`);
    }
    // A payer told of the first one's confirmation hears of this one's: its txid is the receipt now.
    await followReplacement(dbTx, w.id, txid);
    if (w.orderId) {
      await dbTx.update(paymentOrders).set({ txid }).where(eq(paymentOrders.id, w.orderId));
    }
  });
}
