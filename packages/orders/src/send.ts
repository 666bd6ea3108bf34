import { inTransaction, type Withdrawal } from "@bitcoim/accounts";
import { reserve } from "@bitcoim/accounts/ledger";
import { paymentOrders } from "@bitcoim/db";
import { BitcoinNodeError, minSats, type Outpoint } from "@bitcoim/wallet";
import { record } from "./book.js";
import { type BuiltSend, buildSend, type Quoted } from "./build.js";
import type { OrdersContext } from "./context.js";
import { withinDeadline } from "./deadline.js";
import { OrdersError } from "./errors.js";
import type { Order, Paid } from "./events.js";
import { quoteFee } from "./fees.js";
import { unlockCoins, withSendsLock } from "./locks.js";
import { quoteOf } from "./quote.js";
import { outcomeUnknown, refused, undoSend } from "./refusals.js";
import { nodeUnavailable } from "./rules.js";
import { claimable, gone, move } from "./state.js";

/**
 * An on-chain payment, crash-safe (docs/architecture.md §5.5). Under
 * the sends lock: the wallet builds and signs the payment — so its exact
 * fee is checked against the maximum and its txid is known — then one
 * transaction claims the order and reserves amount + that fee, with the
 * txid and the funded draft on record; then it is broadcast, once. Anything
 * refused before the broadcast leaves the order pending and nothing
 * reserved. Then it is booked. This process's sends take turns
 * (`oneSendAtATime`). A send is never retried: when its outcome is
 * unknown, reconciliation decides from the wallet itself, by txid.
 */
export async function payOnChain(ctx: OrdersContext, order: Order): Promise<Paid> {
  // Sent at the rate its payer was quoted, when there is a quote.
  const [quoted, chain] = await Promise.all([
    quoteOf(ctx, order.id),
    ctx.node.getBlockchainInfo(),
  ]).catch((error: unknown) => {
    throw nodeUnavailable(error) ?? error;
  });
  const rate =
    quoted?.rate ??
    (
      await quoteFee(ctx.node, ctx.fees).catch((error: unknown) => {
        throw nodeUnavailable(error) ?? error;
      })
    ).rate;
  const at = { rate, lockTime: chain.blocks, quoted };
  const { withdrawal, send } = await ctx.oneSendAtATime(() =>
    withSendsLock(ctx, async () => {
      const reserved = await reserveSend(ctx, order, at);
      await broadcast(ctx, order, reserved.withdrawal, reserved.send);
      return reserved;
    }),
  );
  try {
    return await record(ctx, withdrawal.id, send.txid);
  } catch {
    // Sent, with its txid on record: reconciliation books the fee once the
    // wallet answers again. The payer still learns the txid now.
    return { order: { ...order, status: "executing", txid: send.txid }, txid: send.txid };
  }
}

/**
 * Under the sends lock: the checks, the build (no database transaction open
 * while the node works), then the claim and the reservation in one short
 * transaction. A refusal at any step gives the coins back.
 */
async function reserveSend(
  ctx: OrdersContext,
  order: Order,
  at: { rate: bigint; lockTime: number; quoted: Quoted | undefined },
): Promise<{ withdrawal: Withdrawal; send: BuiltSend }> {
  const held = { coins: [] as Outpoint[], abandoned: false };
  try {
    // Before the wallet locks coins for an order already gone, or a payer who cannot pay.
    const [now] = await ctx.db.select().from(paymentOrders).where(claimable(order.id, ctx.now()));
    if (!now) throw await gone(ctx.db, order);
    if ((await ctx.accounts.balance(order.senderId)).confirmed < order.amount) {
      throw new OrdersError("INSUFFICIENT_FUNDS", "your balance is too low for this payment");
    }
    const send = await withinDeadline(buildSend(ctx, order, at, held), ctx.buildTimeoutMs, () => {
      held.abandoned = true;
    });
    const withdrawal = await inTransaction(ctx.db, async (tx, afterCommit) => {
      const claim = { from: "pending", to: "executing", claimAt: ctx.now() } as const;
      const claimed = await move({ tx, afterCommit, events: ctx.events }, order, claim);
      if (!claimed) throw await gone(tx, order);
      return reserve(tx, {
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
    });
    return { withdrawal, send };
  } catch (error) {
    await unlockCoins(ctx, held.coins);
    throw await refused(ctx, order, error);
  }
}

/** The one broadcast; a refusal gives everything back, an unknown outcome keeps it for reconciliation. */
async function broadcast(
  ctx: OrdersContext,
  order: Order,
  withdrawal: Withdrawal,
  send: BuiltSend,
): Promise<void> {
  let txid: string;
  try {
    txid = await ctx.node.sendRawTransaction(send.hex, { maxFeeRate: guardRate(ctx, send) });
  } catch (error) {
    if (!(await wentOut(ctx, send, error))) {
      throw await undoSend(ctx, withdrawal, order, send, error);
    }
    txid = send.txid;
  }
  if (txid !== send.txid) {
    // The node accepted something: never give the reserve back on a reply we cannot read.
    throw outcomeUnknown(new Error(`the node answered txid ${txid} for ${send.txid}`));
  }
}

/**
 * Whether a broadcast that failed went out all the same: Core says so of one
 * already mined (-27); a refusal is believed only once the wallet is asked
 * and does not hold the transaction (it would, relayed before under another
 * witness), since the refusal gives the reserve back. Not knowing is an
 * unknown outcome, left reserved for reconciliation.
 */
async function wentOut(ctx: OrdersContext, send: BuiltSend, error: unknown): Promise<boolean> {
  if (!(error instanceof BitcoinNodeError)) return false;
  if (error.code === "NODE_ALREADY_IN_CHAIN") return true;
  if (error.code !== "NODE_TRANSACTION_REJECTED") return false;
  try {
    return (await ctx.node.getTransaction(send.txid)).confirmations >= 0;
  } catch (lookup) {
    if (lookup instanceof BitcoinNodeError && lookup.code === "NODE_UNKNOWN_TRANSACTION") {
      return false;
    }
    throw outcomeUnknown(lookup);
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
  // Core refuses a guard of 1 BTC/kvB or more outright.
  return minSats((ctx.fees.maxFee + vsize - 1n) / vsize, 99_999n);
};
