/** Typed views of Core's chain, network and fee RPC results. */
import { malformed, readObject } from "./reply.js";
import type { BlockchainInfo, NetworkInfo } from "./types.js";

export function parseBlockchainInfo(result: unknown): BlockchainInfo {
  const r = readObject(result, "getblockchaininfo");
  return {
    chain: r.str("chain"),
    blocks: r.int("blocks"),
    headers: r.int("headers"),
    bestBlockHash: r.str("bestblockhash"),
    initialBlockDownload: r.bool("initialblockdownload"),
    verificationProgress: r.num("verificationprogress"),
    pruned: r.bool("pruned"),
  };
}

export function parseNetworkInfo(result: unknown): NetworkInfo {
  const r = readObject(result, "getnetworkinfo");
  // Core before v28 printed `warnings` as one string; since then, a list.
  const warnings =
    typeof r.raw.warnings === "string"
      ? [r.raw.warnings].filter((w) => w !== "")
      : r.strings("warnings");
  return {
    version: r.int("version"),
    subversion: r.str("subversion"),
    protocolVersion: r.int("protocolversion"),
    relayFee: r.sats("relayfee"),
    warnings,
  };
}

/**
 * estimatesmartfee gives BTC per kvB, or no `feerate` (with `errors`) when it
 * has too little data — usual on regtest and right after start. We answer
 * sat/vB rounded up, so a fee computed from it never falls below the estimate.
 */
export function parseFeeEstimate(result: unknown): bigint | null {
  const r = readObject(result, "estimatesmartfee");
  const perKvb = r.optSats("feerate");
  if (perKvb === undefined) return null;
  if (perKvb <= 0n) throw malformed("estimatesmartfee.feerate", "is not positive");
  return (perKvb + 999n) / 1000n;
}
