import {
  AccountsError,
  inTransaction,
  release,
  reserve,
  userBalance,
  type Withdrawal,
} from "@bitcoim/accounts";
import { paymentOrders } from "@bitcoim/db";
import { BitcoinNodeError } from "@bitcoim/wallet";
import { eq } from "drizzle-orm";
import { record } from "./book.js";
import { type BuiltSend, buildSend, holdSendsLock, unlockCoins } from "./build.js";
import { claimable, gone, type Paid } from "./confirm.js";
import type { OrdersContext } from "./context.js";
import { OrdersError } from "./errors.js";
import type { Order } from "./events.js";
import { quoteFee } from "./fees.js";
import { fromLedger, nodeUnavailable } from "./rules.js";

/**
 * An on-chain payment, crash-safe (ARCHITECTURE.md, invariant 5). In one
 * transaction, under the sends lock: the order is claimed, the wallet builds
 * and signs the payment — so its exact fee is checked against the maximum
 * and its txid is known — and amount + that fee is reserved, with the txid
 * and the funded draft on record. Anything refused there rolls back and
 * leaves the order pending. Then it is broadcast, once, and booked. A send
 * is never retried: when its outcome is unknown, reconciliation decides
 * from the wallet itself, by txid.
 */
export async function payOnChain(ctx: OrdersContext, order: Order): Promise<Paid> {
  const [quote, chain] = await Promise.all([
    quoteFee(ctx.node, ctx.fees),
    ctx.node.getBlockchainInfo(),
  ]).catch((error: unknown) => {
    throw nodeUnavailable(error) ?? error;
  });
  let built: BuiltSend | undefined;
  const withdrawal = await inTransaction(ctx.db, async (tx) => {
    await holdSendsLock(tx);
    const [claimed] = await tx
      .update(paymentOrders)
      .set({ status: "executing" })
      .where(claimable(order.id, ctx.now()))
      .returning();
    if (!claimed) throw await gone(tx, order);
    // Before the wallet locks coins for someone who cannot pay anyway.
    if ((await userBalance(tx, order.senderId)).confirmed < order.amount) {
      throw new OrdersError("INSUFFICIENT_FUNDS", "your balance is too low for this payment");
    }
    const send = await buildSend(ctx, order, { rate: quote.rate, lockTime: chain.blocks });
    try {
      const reserved = await reserve(tx, {
        userId: order.senderId,
        address: order.recipientAddress!,
        amount: order.amount,
        maxFee: send.fee,
        feeRate: send.rate.toString(),
        orderId: order.id,
        memo: order.comment,
        txid: send.txid,
        rawTx: send.draft,
      });
      built = send;
      return reserved;
    } catch (error) {
      await unlockCoins(ctx, send.inputs);
      throw error;
    }
  }).catch(async (error: unknown) => {
    throw await refused(ctx, order, error);
  });
  const send = built!;

  let txid: string;
  try {
    txid = await ctx.node.sendRawTransaction(send.hex, { maxFeeRate: guardRate(ctx, send) });
  } catch (error) {
    if (!(error instanceof BitcoinNodeError && error.code === "NODE_ALREADY_IN_CHAIN")) {
      throw await undoSend(ctx, withdrawal, order, send, error);
    }
    txid = send.txid;
  }
  if (txid !== send.txid) {
    // The node accepted something: never give the reserve back on a reply we cannot read.
    throw outcomeUnknown(new Error(`the node answered txid ${txid} for ${send.txid}`));
  }
  try {
    return await record(ctx, withdrawal.id, send.txid);
  } catch {
    // Sent, with its txid on record: reconciliation books the fee once the
    // wallet answers again. The payer still learns the txid now.
    return { order: { ...order, status: "executing", txid }, txid };
  }
}

/**
 * Core's own fee guard on the broadcast, as a backstop to the exact check in
 * `buildSend`, set to the same limit in satoshis: the rate at which this
 * transaction would cost the maximum fee. A rate cap would refuse sends
 * whose change the wallet dropped into the fee.
 */
const guardRate = (ctx: OrdersContext, send: BuiltSend) => {
  const vsize = BigInt(Math.max(1, send.vsize));
  return (ctx.fees.maxFee + vsize - 1n) / vsize;
};

/** Refusals that trying again cannot change: the order fails, and the payer is told why. */
const FINAL: ReadonlySet<string> = new Set([
  "NODE_TRANSACTION_FAILED",
  "NODE_INVALID_ADDRESS",
  "NODE_INVALID_AMOUNT",
  "SEND_FAILED",
]);

/**
 * Why the payment could not be built or reserved — nothing was reserved or
 * sent, and the order is pending again. A wallet that cannot fund it now
 * (its coins held by other sends, or short) leaves it pending; only a
 * refusal that will not change fails it.
 */
async function refused(ctx: OrdersContext, order: Order, error: unknown): Promise<unknown> {
  if (error instanceof AccountsError) return fromLedger(error);
  const unavailable = nodeUnavailable(error);
  if (unavailable) return unavailable;
  if (error instanceof BitcoinNodeError && error.code === "NODE_INSUFFICIENT_FUNDS") {
    return new OrdersError(
      "WALLET_CANNOT_FUND",
      "the gateway's wallet cannot fund this payment right now; nothing was paid and your payment stays pending — try again in a moment",
      {},
      { cause: error },
    );
  }
  const code = (error as { code?: unknown }).code;
  if (!(typeof code === "string" && FINAL.has(code))) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const [failed] = await ctx.db
    .update(paymentOrders)
    .set({ status: "failed" })
    .where(claimable(order.id, ctx.now()))
    .returning();
  if (failed) ctx.events.emit("paymentFailed", { order: failed, reason });
  return new OrdersError(
    "SEND_FAILED",
    `the payment could not be sent: ${reason}`,
    { order: failed ?? order },
    { cause: error },
  );
}

const outcomeUnknown = (cause: unknown) =>
  new OrdersError(
    "SEND_OUTCOME_UNKNOWN",
    "the Bitcoin node did not answer in time; the payment may or may not have gone out — you will be told which, nothing is sent twice",
    {},
    { cause },
  );

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
    return outcomeUnknown(error);
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
