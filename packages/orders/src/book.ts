import { inTransaction, type Withdrawal } from "@bitcoim/accounts";
import { recordTxid, settle } from "@bitcoim/accounts/ledger";
import type { OrdersContext } from "./context.js";
import type { Paid } from "./events.js";
import { mustMove } from "./state.js";

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
  const fee = await paidFee(ctx, await recordTxid(ctx.db, withdrawalId, txid), feeFrom);
  return inTransaction(ctx.db, async (tx, afterCommit) => {
    const w = await settle(tx, withdrawalId, txid, fee);
    const order = await mustMove(
      { tx, afterCommit, events: ctx.events },
      { id: w.orderId! },
      { from: "executing", to: "paid" },
      { txid, fee, executedAt: ctx.now() },
      (order) => ["paymentCompleted", { order, recipientUserId: null, txid, fee }],
    );
    return { order, txid, fee };
  });
}
