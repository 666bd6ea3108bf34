import type { Outpoint } from "@bitcoim/wallet";
import type { OrdersContext } from "./context.js";
import { OrdersError } from "./errors.js";
import type { Order } from "./events.js";

/** A payment funded and signed by the wallet, not yet sent. */
export interface BuiltSend {
  txid: string;
  hex: string;
  /** sat/vB it was funded at. */
  rate: bigint;
  /** Exact: inputs minus outputs of `hex`, which is what gets broadcast. */
  fee: bigint;
  /** The coins it spends, locked in the wallet until it is broadcast or given up. */
  inputs: Outpoint[];
}

/**
 * Builds the order's payment at `rate` without sending it, so that its
 * actual fee is checked against the maximum (BEHAVIOUR.md §7) before any
 * money is reserved or anything leaves the wallet. The coins it chose stay
 * locked, so a concurrent payment cannot pick them; every refusal here
 * gives them back.
 */
export async function buildSend(
  ctx: OrdersContext,
  order: Order,
  rate: bigint,
): Promise<BuiltSend> {
  const address = order.recipientAddress!;
  const funded = await ctx.node.fundTransaction({
    outputs: [{ address, amount: order.amount }],
    feeRate: rate,
    lockUnspents: true,
  });
  let inputs: Outpoint[] = [];
  try {
    inputs = (await ctx.node.decodeRawTransaction(funded.hex)).inputs;
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
    return { txid: decoded.txid, hex: signed.hex, rate, fee: funded.fee, inputs };
  } catch (error) {
    await unlockCoins(ctx, inputs);
    throw error;
  }
}

/**
 * Gives a payment's coins back to the wallet. Best effort: a node that
 * restarted has forgotten the locks already, and a failure here costs only
 * coins unavailable until the node restarts, never money.
 */
export async function unlockCoins(ctx: OrdersContext, inputs: readonly Outpoint[]): Promise<void> {
  if (inputs.length === 0) return;
  await ctx.node.lockUnspent(true, inputs).catch(() => undefined);
}

/** The coins of a signed payment kept with its withdrawal, for unlocking after a crash. */
export async function coinsOf(ctx: OrdersContext, rawTx: string | null): Promise<Outpoint[]> {
  if (!rawTx) return [];
  return (await ctx.node.decodeRawTransaction(rawTx).catch(() => undefined))?.inputs ?? [];
}
