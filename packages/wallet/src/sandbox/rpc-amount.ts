/**
 * Core's AmountFromValue: a JSON number or string, fixed point with at most 8
 * decimals (exponents allowed, as in Core's ParseFixedPoint), within MAX_MONEY.
 */
import { RPC, RpcError } from "./errors.js";
import { JsonNumber } from "./json.js";
import { fixedPoint8, MAX_MONEY } from "./money.js";

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

export function amountFromValue(value: unknown): bigint {
  let text: string;
  if (value instanceof JsonNumber) text = value.text;
  else if (typeof value === "string") text = value;
  else throw new RpcError(RPC.TYPE_ERROR, "Amount is not a number or string");
  const plain = plainDecimal(text);
  const sats = plain === null ? undefined : fixedPoint8(plain);
  if (sats === undefined) throw new RpcError(RPC.TYPE_ERROR, "Invalid amount");
  if (sats < 0n || sats > MAX_MONEY) throw new RpcError(RPC.TYPE_ERROR, "Amount out of range");
  return sats;
}

/** Core's AmountFromValue(value, 3) for fee rates in sat/vB: returns sat/kvB. */
export function feeRatePerKvBFromValue(value: unknown): bigint {
  const text =
    value instanceof JsonNumber ? value.text : typeof value === "string" ? value : undefined;
  if (text === undefined) throw new RpcError(RPC.TYPE_ERROR, "Amount is not a number or string");
  const m = /^(\d+)(?:\.(\d{1,3})0*)?$/.exec(plainDecimal(text) ?? "");
  if (!m) {
    if (plainDecimal(text)?.startsWith("-"))
      throw new RpcError(RPC.TYPE_ERROR, "Amount out of range");
    throw new RpcError(RPC.TYPE_ERROR, "Invalid amount");
  }
  const [, whole = "0", fraction = ""] = m;
  const rate = BigInt(whole) * 1000n + BigInt(fraction.padEnd(3, "0") || "0");
  if (rate > MAX_MONEY) throw new RpcError(RPC.TYPE_ERROR, "Amount out of range");
  return rate;
}

/** "5.45e-06" → "0.00000545", exactly, by moving the decimal point in the text. */
function plainDecimal(text: string): string | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const [, sign = "", whole = "", fraction = "", exp = "0"] = m;
  const shift = Number(exp);
  if (!Number.isSafeInteger(shift) || Math.abs(shift) > 40) return null;
  let digits = whole + fraction;
  let point = whole.length + shift;
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits.padEnd(point, "0");
  const intPart = digits.slice(0, point) || "0";
  const fracPart = digits.slice(point);
  return `${sign}${intPart}${fracPart ? `.${fracPart}` : ""}`;
}
