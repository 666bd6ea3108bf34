import { inTransaction, release, reserve, settle, type Withdrawal } from "@bitcoim/accounts";
import { paymentOrders, withdrawals } from "@bitcoim/db";
import { BitcoinNodeError } from "@bitcoim/wallet";
import { eq } from "drizzle-orm";
import { claimable, gone, type Paid } from "./confirm.js";
import type { OrdersContext } from "./context.js";
import { OrdersError } from "./errors.js";
import type { Order } from "./events.js";
import { quoteFee } from "./fees.js";
import { fromLedger, nodeUnavailable } from "./rules.js";

/**
 * The wallet comment that names a send: how reconciliation finds it after a
 * crash. From the withdrawal's random key, so that no other send — an older
 * one after a database restore, another database's on a shared wallet —
 * can ever be taken for it.
 */
export const sendComment = (withdrawal: Pick<Withdrawal, "idempotencyKey">) =>
  `bitcoim:${withdrawal.idempotencyKey}`;

/**
 * An on-chain payment, crash-safe (ARCHITECTURE.md, invariant 5): the
 * intent is committed first (order `executing`, amount + maximum fee
 * reserved), then the node is called once, then the outcome is booked.
 * A send is never retried: when its outcome is unknown, reconciliation
 * decides from the wallet itself.
 */
export async function payOnChain(ctx: OrdersContext, order: Order): Promise<Paid> {
  const fee = await quoteFee(ctx.node, ctx.fees).catch((error: unknown) => {
    throw nodeUnavailable(error) ?? error;
  });
  const withdrawal = await inTransaction(ctx.db, async (tx) => {
    const [claimed] = await tx
      .update(paymentOrders)
      .set({ status: "executing" })
      .where(claimable(order.id, ctx.now()))
      .returning();
    if (!claimed) throw await gone(tx, order);
    return reserve(tx, {
      userId: order.senderId,
      address: order.recipientAddress!,
      amount: order.amount,
      maxFee: fee.reserve,
      feeRate: fee.rate.toString(),
      orderId: order.id,
      memo: order.comment,
    });
  }).catch((error: unknown) => {
    throw fromLedger(error);
  });

  let txid: string;
  try {
    txid = await ctx.node.sendToAddress({
      address: withdrawal.address,
      amount: withdrawal.amount,
      comment: sendComment(withdrawal),
      feeRate: fee.rate,
    });
  } catch (error) {
    throw await undoSend(ctx, withdrawal.id, order, error);
  }
  try {
    return await record(ctx, withdrawal.id, txid);
  } catch {
    // Sent, with its txid on record: reconciliation books the fee once the
    // wallet answers again. The payer still learns the txid now.
    return { order: { ...order, status: "executing", txid }, txid };
  }
}

/**
 * The node said no, or could not be reached (so it never heard us): give
 * the reserve back. An unknown outcome is left for reconciliation.
 */
async function undoSend(ctx: OrdersContext, withdrawalId: number, order: Order, error: unknown) {
  if (error instanceof BitcoinNodeError && error.code === "NODE_SEND_OUTCOME_UNKNOWN") {
    return new OrdersError(
      "SEND_OUTCOME_UNKNOWN",
      "the Bitcoin node did not answer in time; the payment may or may not have gone out — you will be told which, nothing is sent twice",
      {},
      { cause: error },
    );
  }
  const unavailable = nodeUnavailable(error);
  const failed = await inTransaction(ctx.db, async (tx, afterCommit) => {
    await release(tx, withdrawalId);
    const [row] = await tx
      .update(paymentOrders)
      .set({ status: unavailable ? "pending" : "failed" })
      .where(eq(paymentOrders.id, order.id))
      .returning();
    if (!unavailable) {
      afterCommit(() =>
        ctx.events.emit("paymentFailed", { order: row!, reason: (error as Error).message }),
      );
    }
    return row!;
  });
  return (
    unavailable ??
    new OrdersError(
      "SEND_FAILED",
      `the payment could not be sent: ${(error as Error).message}`,
      { order: failed },
      { cause: error },
    )
  );
}

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
): Promise<Paid> {
  const [w] = await ctx.db
    .update(withdrawals)
    .set({ txid })
    .where(eq(withdrawals.id, withdrawalId))
    .returning();
  const fee = await paidFee(ctx, w!, txid);
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
