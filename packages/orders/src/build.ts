import { inputsOf, type Outpoint } from "@bitcoim/wallet";
import type { OrdersContext } from "./context.js";
import { OrdersError } from "./errors.js";
import type { Order } from "./events.js";
import { unlockCoins } from "./locks.js";
import { feeTooHigh, requote } from "./quote.js";
import { canonicalAddress, nodeUnavailable } from "./rules.js";

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

/** The fee the payer was shown, and the coins it was read from. */
export interface Quoted {
  fee: bigint;
  coins: readonly Outpoint[];
}

/**
 * Builds the order's payment at `rate`, locked to height `lockTime`,
 * without sending it, so that its actual fee is checked against the
 * maximum and the fee its payer was shown (docs/behaviour.md §7) before
 * any money is reserved or anything leaves the wallet. Run under
 * `withSendsLock`. The coins it chose stay locked (and are in `held`): the
 * caller gives them back, after its transaction, should anything fail.
 */
export async function buildSend(
  ctx: OrdersContext,
  order: Order,
  { rate, lockTime, quoted }: { rate: bigint; lockTime: number; quoted: Quoted | undefined },
  /**
   * Receives the coins the wallet locked, for the caller to give back should
   * anything fail; `abandoned` once the caller gave up waiting (a late reply
   * then gives its own coins back and goes no further).
   */
  held: { coins: Outpoint[]; abandoned: boolean },
): Promise<BuiltSend> {
  // Orders queued before addresses were stored canonically compare as the wallet writes them.
  const address = canonicalAddress(order.recipientAddress!, ctx.network);
  const request = {
    outputs: [{ address, amount: order.amount }],
    feeRate: rate,
    lockUnspents: true,
    // The tip, as Core's wallet does: against fee sniping, and not to stand out.
    lockTime,
  };
  // The quoted coins again, so that the fee comes out as quoted; any other
  // coins when those are gone (a funding of them fails on a coin spent since).
  const preset = quoted && (await stillThere(ctx, quoted.coins)) ? quoted.coins : undefined;
  const funded =
    (preset &&
      (await ctx.node.fundTransaction({ ...request, inputs: preset }).catch((error: unknown) => {
        if (nodeUnavailable(error)) throw error;
        return undefined;
      }))) ||
    (await ctx.node.fundTransaction(request));
  const inputs = inputsOf(funded.hex);
  if (held.abandoned) {
    await unlockCoins(ctx, inputs);
    throw new Error("the build was given up before the wallet answered");
  }
  held.coins.push(...inputs);
  if (funded.fee > ctx.fees.maxFee) throw feeTooHigh(ctx, rate, funded.fee);
  if (quoted === undefined || funded.fee > quoted.fee) {
    throw await requote(ctx, order, quoted?.fee, { fee: funded.fee, rate, draft: funded.hex });
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

/** Every coin unspent (mempool spends counted) and locked by no unfinished send. */
async function stillThere(ctx: OrdersContext, coins: readonly Outpoint[]): Promise<boolean> {
  if (coins.length === 0) return false;
  const [locked, outputs] = await Promise.all([
    ctx.node.listLockUnspent(),
    Promise.all(coins.map((coin) => ctx.node.getTxOut(coin))),
  ]);
  const taken = new Set(locked.map((o) => `${o.txid}:${o.vout}`));
  return outputs.every((o) => o !== null) && coins.every((c) => !taken.has(`${c.txid}:${c.vout}`));
}
