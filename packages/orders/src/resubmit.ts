/** Sending again what the node lost: dropped, abandoned, or forgotten sends. */
import { inTransaction, type Withdrawal } from "@bitcoim/accounts";
import { reverseSend } from "@bitcoim/accounts/ledger";
import { withdrawals } from "@bitcoim/db";
import { BitcoinNodeError, type WalletTransaction } from "@bitcoim/wallet";
import { and, gt, inArray, isNotNull } from "drizzle-orm";
import type { OrdersContext } from "./context.js";
import { coinsOf } from "./locks.js";
import { mustMove } from "./state.js";

/**
 * Core's wallet sends its own transactions again only at start-up and about
 * once a day; a payer is not kept waiting that long. A refusal (not final
 * yet after a reorg, its coins spent elsewhere) is left to the next tick and
 * to the tracker's conflict rule; anything else (an unreachable node) is a
 * failure of this tick.
 */
export async function resubmit(ctx: OrdersContext, tx: WalletTransaction): Promise<void> {
  await sendOrRefused(ctx, tx.hex);
}

/** Whether the node refused it; an unreachable node throws. */
async function sendOrRefused(ctx: OrdersContext, hex: string): Promise<boolean> {
  return ctx.node.sendRawTransaction(hex).then(
    () => false,
    (error: unknown) => {
      if (!(error instanceof BitcoinNodeError) || !REFUSALS.has(error.code)) throw error;
      return true;
    },
  );
}

const REFUSALS = new Set([
  "NODE_TRANSACTION_REJECTED",
  "NODE_TRANSACTION_FAILED",
  "NODE_ALREADY_IN_CHAIN",
]);

/**
 * A send the node's wallet has no record of: the node was killed after it
 * took the broadcast and before its wallet wrote it down (its mempool went
 * with it). Signed again from the draft kept on record it is the same
 * transaction — the txid of segwit inputs does not cover the signatures —
 * so broadcasting it can only complete this payment, never pay it twice;
 * a draft that signs to anything else is never broadcast.
 *
 * Refused, its coins were spent since: having forgotten it, the wallet
 * offered them to another payment. Once that other send of ours is
 * `confirmations` deep, this one can never be mined — the conflict rule of
 * the tracker — and its payer is refunded. Coins spent by anything else
 * leave it `sent` for an operator (the admin audit shows it).
 */
export async function forgotten(ctx: OrdersContext, w: Withdrawal, depth: number): Promise<void> {
  if (!w.rawTx) return;
  const signed = await ctx.node.signRawTransactionWithWallet(w.rawTx);
  // Its coins spent since, the wallet cannot sign for them any more.
  const refused = !signed.complete || (await broadcastSigned(ctx, w, signed.hex));
  if (refused && (await spentByOursDeep(ctx, w, depth))) await refundConflicted(ctx, w);
}

/** Whether the node refused it. */
async function broadcastSigned(ctx: OrdersContext, w: Withdrawal, hex: string): Promise<boolean> {
  const { txid } = await ctx.node.decodeRawTransaction(hex);
  if (txid !== w.txid) {
    throw new Error(`withdrawal ${w.id}: its draft signs to ${txid}, not ${w.txid}; not broadcast`);
  }
  return sendOrRefused(ctx, hex);
}

/**
 * Whether another send of ours, `depth` deep, spends a coin of this one's
 * draft. Only later ones can: the wallet offered the coins again once it
 * had forgotten this send.
 */
async function spentByOursDeep(ctx: OrdersContext, w: Withdrawal, depth: number) {
  const mine = new Set(coinsOf(w.rawTx).map((o) => `${o.txid}:${o.vout}`));
  const others = await ctx.db
    .select({ txid: withdrawals.txid, rawTx: withdrawals.rawTx })
    .from(withdrawals)
    .where(
      and(
        gt(withdrawals.id, w.id),
        inArray(withdrawals.state, ["sent", "confirmed"]),
        isNotNull(withdrawals.txid),
      ),
    );
  for (const other of others) {
    if (!coinsOf(other.rawTx).some((o) => mine.has(`${o.txid}:${o.vout}`))) continue;
    const tx = await ctx.node.getTransaction(other.txid!).catch(() => undefined);
    if (tx && tx.confirmations >= depth) return true;
  }
  return false;
}

/** Amount and fee back to the payer, who is told: another spend of its coins won. */
export async function refundConflicted(ctx: OrdersContext, w: Withdrawal): Promise<void> {
  await inTransaction(ctx.db, async (dbTx, afterCommit) => {
    await reverseSend(dbTx, w.id);
    if (!w.orderId) return;
    const reason = `another transaction spending the same coins was confirmed instead of ${w.txid}; the amount and the fee are back in your balance`;
    await mustMove(
      { tx: dbTx, afterCommit, events: ctx.events },
      { id: w.orderId },
      { from: "paid", to: "refunded" },
      {},
      (order) => ["paymentRefunded", { order, cause: "conflicted", txid: w.txid!, reason }],
    );
  });
}
