import { inputsOf, type Outpoint } from "@bitcoim/wallet";
import type { OrdersContext } from "./context.js";
import { OrdersError } from "./errors.js";
import type { Order } from "./events.js";
import { unlockCoins } from "./locks.js";
import { canonicalAddress } from "./rules.js";

/** A payment funded and signed by the wallet, not yet sent. */
export interface BuiltSend {
  txid: string;
  /** Signed: what is broadcast, never stored. */
  hex: string;
  /** The funded transaction before signing: which coins it holds, harmless to keep. */
  draft: string;
  /** sat/vB it was funded at. */
  rate: bigint;
  /** Exact: the inputs minus the outputs of `hex` (signing changes neither). */
  fee: bigint;
  vsize: number;
  /** The coins it spends, locked in the wallet until it is broadcast or given up. */
  inputs: Outpoint[];
}

/**
 * Builds the order's payment at `rate`, locked to height `lockTime`,
 * without sending it, so that its actual fee is checked against the
 * maximum (docs/behaviour.md §7) before any money is reserved or anything
 * leaves the wallet. Run under
 * `withSendsLock`. The coins it chose stay locked (and are in `held`): the
 * caller gives them back, after its transaction, should anything fail.
 */
export async function buildSend(
  ctx: OrdersContext,
  order: Order,
  { rate, lockTime }: { rate: bigint; lockTime: number },
  /**
   * Receives the coins the wallet locked, for the caller to give back should
   * anything fail; `abandoned` once the caller gave up waiting (a late reply
   * then gives its own coins back and goes no further).
   */
  held: { coins: Outpoint[]; abandoned: boolean },
): Promise<BuiltSend> {
  // Orders queued before addresses were stored canonically compare as the wallet writes them.
  const address = canonicalAddress(order.recipientAddress!, ctx.network);
  const funded = await ctx.node.fundTransaction({
    outputs: [{ address, amount: order.amount }],
    feeRate: rate,
    lockUnspents: true,
    // The tip, as Core's wallet does: against fee sniping, and not to stand out.
    lockTime,
  });
  const inputs = inputsOf(funded.hex);
  if (held.abandoned) {
    await unlockCoins(ctx, inputs);
    throw new Error("the build was given up before the wallet answered");
  }
  held.coins.push(...inputs);
  if (funded.fee > ctx.fees.maxFee) {
    throw new OrdersError(
      "FEE_TOO_HIGH",
      `this payment would cost ${funded.fee} sat in network fees at ${rate} sat/vB; the limit is ${ctx.fees.maxFee} sat — nothing was paid`,
      { rate, estimate: funded.fee, limit: ctx.fees.maxFee },
    );
  }
  const signed = await ctx.node.signRawTransactionWithWallet(funded.hex);
  if (!signed.complete) {
    throw new OrdersError(
      "SEND_FAILED",
      `the wallet could not sign the payment (${signed.errors.join("; ") || "no reason given"})`,
      { order },
    );
  }
  const decoded = await ctx.node.decodeRawTransaction(signed.hex);
  const pays = decoded.outputs.filter((o) => o.address === address && o.amount === order.amount);
  if (pays.length !== 1) {
    throw new OrdersError(
      "SEND_FAILED",
      "the wallet built a transaction that does not pay this order; nothing was sent",
      { order },
    );
  }
  const { txid, vsize } = decoded;
  return { txid, hex: signed.hex, draft: funded.hex, rate, fee: funded.fee, vsize, inputs };
}
