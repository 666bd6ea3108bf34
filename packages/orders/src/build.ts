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
  const funded = await fund(ctx, request, quoted, held);
  const inputs = inputsOf(funded.hex);
  if (held.abandoned) {
    await unlockCoins(ctx, inputs);
    throw gaveUp();
  }
  hold(held, inputs);
  if (funded.fee > ctx.fees.maxFee) throw feeTooHigh(ctx, rate, funded.fee);
  if (quoted === undefined || funded.fee > quoted.fee) {
    // A build given up on is no answer to show: it quotes nothing.
    if (held.abandoned) throw gaveUp();
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

type Held = { coins: Outpoint[]; abandoned: boolean };
type FundRequest = Parameters<OrdersContext["node"]["fundTransaction"]>[0];

const key = (o: Outpoint) => `${o.txid}:${o.vout}`;
const gaveUp = () => new Error("the build was given up before the wallet answered");

function hold(held: Held, coins: readonly Outpoint[]): void {
  const known = new Set(held.coins.map(key));
  held.coins.push(...coins.filter((c) => !known.has(key(c))));
}

async function letGo(ctx: OrdersContext, held: Held, coins: readonly Outpoint[]): Promise<void> {
  await unlockCoins(ctx, coins);
  const gone = new Set(coins.map(key));
  held.coins.splice(0, held.coins.length, ...held.coins.filter((c) => !gone.has(key(c))));
}

/**
 * Funds the payment with the quoted coins when they are still the
 * wallet's to spend, so that the fee comes out as quoted; with any coins
 * otherwise. Coins locked on the way are in `held`, or given back.
 */
async function fund(
  ctx: OrdersContext,
  request: FundRequest,
  quoted: Quoted | undefined,
  held: Held,
) {
  const preset = quoted ? await takeCoins(ctx, quoted.coins, held) : undefined;
  if (preset) {
    const funded = await ctx.node
      .fundTransaction({ ...request, inputs: preset })
      .catch((error: unknown) => {
        if (nodeUnavailable(error)) throw error;
        return undefined;
      });
    if (funded) return funded;
    // Not these coins after all: given back before others are chosen.
    await letGo(ctx, held, preset);
  }
  if (held.abandoned) throw gaveUp();
  return ctx.node.fundTransaction(request);
}

/**
 * Locks the quoted coins if each is still the wallet's to spend. Core's
 * lockunspent refuses, all or none, a coin locked already (by an
 * unfinished send) and a coin a wallet transaction spends — one dropped
 * from the mempool too, which the chain alone calls unspent, and which a
 * funding of preset coins would spend again: a conflict with our own
 * payment. The chain is asked as well, for a spend the wallet never saw.
 */
async function takeCoins(
  ctx: OrdersContext,
  coins: readonly Outpoint[],
  held: Held,
): Promise<readonly Outpoint[] | undefined> {
  if (coins.length === 0 || held.abandoned) return undefined;
  const locked = await ctx.node.lockUnspent(false, coins).then(
    () => true,
    (error: unknown) => {
      if (nodeUnavailable(error)) throw error;
      return false;
    },
  );
  if (!locked) return undefined;
  if (held.abandoned) {
    // The caller gave its coins back already: these are this late call's to give.
    await unlockCoins(ctx, coins);
    throw gaveUp();
  }
  hold(held, coins);
  const outputs = await Promise.all(coins.map((coin) => ctx.node.getTxOut(coin)));
  if (outputs.every((o) => o !== null)) return coins;
  await letGo(ctx, held, coins);
  return undefined;
}
