import type { BitcoinNode } from "@bitcoim/wallet";
import { OrdersError } from "./errors.js";

export interface FeePolicy {
  /** The most one payment may pay in fees (default 50,000 sat). */
  maxFee: bigint;
  /** The highest fee rate we send at, sat/vB (default 200). */
  maxFeeRate: bigint;
  /** When the node has no estimate, like Core's -fallbackfee (default 20 sat/vB). */
  fallbackFeeRate: bigint;
  /** Blocks to confirm within, for estimatesmartfee (default 6). */
  confTarget: number;
}

export const DEFAULT_FEE_POLICY: FeePolicy = {
  maxFee: 50_000n,
  maxFeeRate: 200n,
  fallbackFeeRate: 20n,
  confTarget: 6,
};

/** One P2WPKH input, two outputs: what most sends weigh. */
const TYPICAL_VSIZE = 141n;

export interface FeeQuote {
  /** sat/vB, sent explicitly with the payment. */
  rate: bigint;
  source: "node" | "fallback";
  /**
   * What a typical send at this rate costs — or, when `exact`, what this
   * one costs: shown before `confirm`. The send itself is built first and
   * its fee checked against the limit and the quote.
   */
  estimate: bigint;
  /** The fee of this very payment, funded by the wallet: never exceeded. */
  exact: boolean;
}

export async function quoteFee(
  node: Pick<BitcoinNode, "estimateSmartFee">,
  policy: FeePolicy,
): Promise<FeeQuote> {
  const estimated = await node.estimateSmartFee(policy.confTarget);
  return quoteAt(
    estimated ?? policy.fallbackFeeRate,
    estimated === null ? "fallback" : "node",
    policy,
  );
}

/** The quote at a given rate: refused above the configured limits. */
export function quoteAt(rate: bigint, source: FeeQuote["source"], policy: FeePolicy): FeeQuote {
  const estimate = rate * TYPICAL_VSIZE;
  if (rate > policy.maxFeeRate || estimate > policy.maxFee) {
    throw new OrdersError(
      "FEE_TOO_HIGH",
      `the network fee is too high right now (${rate} sat/vB, about ${estimate} sat); the limit is ${policy.maxFeeRate} sat/vB and ${policy.maxFee} sat — try again later`,
      { rate, estimate },
    );
  }
  return { rate, source, estimate, exact: false };
}
