/** Checks on arguments before they are sent to the node: refused here, never by Core. */
import { BitcoinNodeError } from "./errors.js";

export function sats(amount: unknown): bigint {
  if (typeof amount !== "bigint") {
    throw new BitcoinNodeError(
      "NODE_INVALID_AMOUNT",
      `Amount must be bigint satoshis, got ${typeof amount}`,
    );
  }
  return amount;
}

/** A positive sat/vB rate, as the number Core reads. */
export function feeRateOf(feeRate: bigint | number): number {
  const rate = Number(feeRate);
  const ok =
    rate > 0 &&
    rate <= Number.MAX_SAFE_INTEGER &&
    (typeof feeRate === "bigint" || Number.isFinite(rate));
  if (!ok) throw invalid(`feeRate must be a positive sat/vB value, got ${String(feeRate)}`);
  return rate;
}

export function text(value: string, name: string): string {
  if (typeof value !== "string") throw invalid(`${name} must be a string`);
  return value;
}

export function count(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw invalid(`${name} must be a positive integer, got ${value}`);
  return value;
}

export function isHash(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{64}$/i.test(value);
}

export function invalid(message: string): BitcoinNodeError {
  return new BitcoinNodeError("NODE_INVALID_ARGUMENT", message);
}

/** A block-height lock time (below 500,000,000: above, Core reads a timestamp). */
export function lockTimeOf(lockTime: number): number {
  if (!Number.isSafeInteger(lockTime) || lockTime < 0 || lockTime >= 500_000_000) {
    throw invalid(`lockTime must be a block height, got ${lockTime}`);
  }
  return lockTime;
}
