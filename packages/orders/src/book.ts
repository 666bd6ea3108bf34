import { inTransaction, settle, type Withdrawal } from "@bitcoim/accounts";
import { paymentOrders, withdrawals } from "@bitcoim/db";
import { eq } from "drizzle-orm";
import type { Paid } from "./confirm.js";
import type { OrdersContext } from "./context.js";

/**
 * The wallet comment that names a send: how reconciliation finds it after a
 * crash. From the withdrawal's random key, so that no other send — an older
 * one after a database restore, another database's on a shared wallet —
 * can ever be taken for it.
 */
export const sendComment = (withdrawal: Pick<Withdrawal, "idempotencyKey">) =>
  `bitcoim:${withdrawal.idempotencyKey}`;

/** The fee of `txid`, after checking that it is the send of `w`. */
export async function paidFee(ctx: OrdersContext, w: Withdrawal, txid: string): Promise<bigint> {
  const tx = await ctx.node.getTransaction(txid);
  const pays = tx.details.some(
    (d) => d.category === "send" && d.address === w.address && d.amount === -w.amount,
  );
  if (!pays) {
    throw new Error(
      `transaction ${txid} does not pay withdrawal ${w.id} (${w.amount} sat to ${w.address})`,
    );
  }
  return tx.fee === undefined ? 0n : -tx.fee;
}

/**
 * Books a send the node made: its txid first, then — once the wallet shows
 * that this transaction pays the withdrawal's address its amount — the
 * actual fee read back from the wallet.
 */
export async function record(
  ctx: OrdersContext,
  withdrawalId: number,
  txid: string,
  /** Whose fee is charged: the transaction the payer agreed to, when `txid` replaced it. */
  feeFrom = txid,
): Promise<Paid> {
  const [w] = await ctx.db
    .update(withdrawals)
    .set({ txid })
    .where(eq(withdrawals.id, withdrawalId))
    .returning();
  const fee = await paidFee(ctx, w!, feeFrom);
  return inTransaction(ctx.db, async (dbTx, afterCommit) => {
    const w = await settle(dbTx, withdrawalId, txid, fee);
    const [order] = await dbTx
      .update(paymentOrders)
      .set({ status: "paid", txid, fee, executedAt: ctx.now() })
      .where(eq(paymentOrders.id, w.orderId!))
      .returning();
    afterCommit(() =>
      ctx.events.emit("paymentCompleted", { order: order!, recipientUserId: null, txid, fee }),
    );
    return { order: order!, txid, fee };
  });
}
