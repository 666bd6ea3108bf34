import { inTransaction, release, reserve, settle, type Withdrawal } from "@bitcoim/accounts";
import { paymentOrders, withdrawals } from "@bitcoim/db";
import { BitcoinNodeError } from "@bitcoim/wallet";
import { eq } from "drizzle-orm";
import { type BuiltSend, buildSend, unlockCoins } from "./build.js";
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
 * An on-chain payment, crash-safe (ARCHITECTURE.md, invariant 5). The
 * wallet first builds and signs it, so its exact fee is checked against the
 * maximum and its txid is known; then the intent is committed (order
 * `executing`, amount + that fee reserved, txid and signed transaction on
 * record); then it is broadcast, once; then the outcome is booked. A send
 * is never retried: when its outcome is unknown, reconciliation decides
 * from the wallet itself, by txid.
 */
export async function payOnChain(ctx: OrdersContext, order: Order): Promise<Paid> {
  const built = await quoteFee(ctx.node, ctx.fees)
    .then((quote) => buildSend(ctx, order, quote.rate))
    .catch(async (error: unknown) => {
      throw nodeUnavailable(error) ?? (await refused(ctx, order, error));
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
      maxFee: built.fee,
      feeRate: built.rate.toString(),
      orderId: order.id,
      memo: order.comment,
      txid: built.txid,
      rawTx: built.hex,
    });
  }).catch(async (error: unknown) => {
    await unlockCoins(ctx, built.inputs);
    throw fromLedger(error);
  });

  try {
    const txid = await ctx.node.sendRawTransaction(built.hex, { maxFeeRate: guardRate(ctx) });
    if (txid !== built.txid) throw new Error(`the node broadcast ${txid}, not ${built.txid}`);
  } catch (error) {
    if (!(error instanceof BitcoinNodeError && error.code === "NODE_ALREADY_IN_CHAIN")) {
      throw await undoSend(ctx, withdrawal, order, built, error);
    }
  }
  try {
    return await record(ctx, withdrawal.id, built.txid);
  } catch {
    // Sent, with its txid on record: reconciliation books the fee once the
    // wallet answers again. The payer still learns the txid now.
    return { order: { ...order, status: "executing", txid: built.txid }, txid: built.txid };
  }
}

/**
 * Core's own fee-rate guard on the broadcast, as a backstop to the exact
 * check in `buildSend`: the highest rate we pay, with room for signatures
 * smaller than the wallet estimated (a smaller transaction, the same fee).
 */
const guardRate = (ctx: OrdersContext) => ctx.fees.maxFeeRate + ctx.fees.maxFeeRate / 10n + 1n;

/**
 * The wallet would not build the payment (nothing reserved, nothing sent):
 * a fee over the limit leaves the order pending; anything else fails it.
 */
async function refused(ctx: OrdersContext, order: Order, error: unknown): Promise<unknown> {
  if (error instanceof OrdersError && error.code === "FEE_TOO_HIGH") return error;
  const reason = error instanceof Error ? error.message : String(error);
  const [failed] = await ctx.db
    .update(paymentOrders)
    .set({ status: "failed" })
    .where(claimable(order.id, ctx.now()))
    .returning();
  if (failed) ctx.events.emit("paymentFailed", { order: failed, reason });
  if (error instanceof OrdersError) return error;
  return new OrdersError(
    "SEND_FAILED",
    `the payment could not be sent: ${reason}`,
    { order: failed ?? order },
    { cause: error },
  );
}

/**
 * The node refused the broadcast, or could not be reached (so it never
 * heard us): give the reserve and the coins back. An unknown outcome is
 * left for reconciliation.
 */
async function undoSend(
  ctx: OrdersContext,
  withdrawal: Withdrawal,
  order: Order,
  built: BuiltSend,
  error: unknown,
) {
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
    await release(tx, withdrawal.id);
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
  await unlockCoins(ctx, built.inputs);
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
