import { inTransaction, release } from "@bitcoim/accounts";
import { paymentOrders, withdrawals } from "@bitcoim/db";
import { and, eq, isNotNull, lt } from "drizzle-orm";
import type { OrdersContext } from "./context.js";
import type { Order } from "./events.js";
import { record, sendComment } from "./send.js";

export interface Reconciled {
  /** Sends found in the wallet and booked. */
  booked: number[];
  /** Sends that never happened: refunded, and the payer told. */
  refunded: number[];
}

/**
 * Settles on-chain sends left unfinished by a crash or a lost reply
 * (ARCHITECTURE.md, invariant 5): a send the wallet has (found by its
 * comment, or by the txid already recorded) is booked; one it does not
 * have is refunded. Nothing is ever resent. Sends younger than
 * `reconcileAfterMs` are left alone: their node call may still be running.
 */
export async function reconcile(ctx: OrdersContext): Promise<Reconciled> {
  const cutoff = new Date(ctx.now().getTime() - ctx.reconcileAfterMs);
  const open = await ctx.db
    .select()
    .from(withdrawals)
    .where(and(eq(withdrawals.state, "intent"), lt(withdrawals.createdAt, cutoff)));
  const result: Reconciled = { booked: [], refunded: [] };
  if (open.length === 0) return result;
  // One look at the whole wallet, not one per send.
  const { transactions } = await ctx.node.listSinceBlock({
    blockHash: null,
    includeRemoved: false,
  });
  const byComment = new Map<string, string>();
  for (const entry of transactions) {
    if (entry.category === "send" && entry.comment) byComment.set(entry.comment, entry.txid);
  }
  for (const w of open) {
    const txid = w.txid ?? byComment.get(sendComment(w.id));
    if (txid) {
      await record(ctx, w.id, txid);
      result.booked.push(w.id);
      continue;
    }
    await inTransaction(ctx.db, async (tx, afterCommit) => {
      await release(tx, w.id);
      const [order] = w.orderId
        ? await tx
            .update(paymentOrders)
            .set({ status: "refunded" })
            .where(eq(paymentOrders.id, w.orderId))
            .returning()
        : [];
      if (order) {
        afterCommit(() =>
          ctx.events.emit("paymentRefunded", {
            order,
            reason:
              "the Bitcoin node has no record of this payment, so it was not sent; the amount is back in your balance",
          }),
        );
      }
    });
    result.refunded.push(w.id);
  }
  return result;
}

/** Tells payers when their on-chain payments confirm (BEHAVIOUR.md §7). */
export async function trackSends(ctx: OrdersContext, confirmations = 1): Promise<Order[]> {
  const sent = await ctx.db
    .select()
    .from(withdrawals)
    .where(and(eq(withdrawals.state, "sent"), isNotNull(withdrawals.txid)));
  const confirmed: Order[] = [];
  for (const w of sent) {
    const tx = await ctx.node.getTransaction(w.txid!);
    if (tx.confirmations < confirmations) continue;
    await inTransaction(ctx.db, async (dbTx, afterCommit) => {
      const [updated] = await dbTx
        .update(withdrawals)
        .set({ state: "confirmed", updatedAt: new Date() })
        .where(and(eq(withdrawals.id, w.id), eq(withdrawals.state, "sent")))
        .returning();
      if (!updated || !w.orderId) return;
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
  return confirmed;
}
