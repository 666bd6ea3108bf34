/**
 * Money as integer satoshis on `bigint`. Every conversion to and from BTC
 * decimals is exact (docs/architecture.md §5.1): Bitcoin Core's JSON
 * amounts here, what people type and read (`parseAmount`, `formatAmount`)
 * in amount-format.ts.
 */
export type Sats = bigint;

export const SATS_PER_BTC = 100_000_000n;
/** 21,000,000 BTC: Bitcoin Core's MAX_MONEY. */
export const MAX_MONEY: Sats = 21_000_000n * SATS_PER_BTC;

export class AmountError extends Error {
  override readonly name = "AmountError";
  constructor(
    readonly code: AmountErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type AmountErrorCode =
  | "AMOUNT_EMPTY"
  | "AMOUNT_NOT_A_NUMBER"
  | "AMOUNT_NEGATIVE"
  | "AMOUNT_ZERO"
  | "AMOUNT_TOO_PRECISE"
  | "AMOUNT_EXPONENT"
  | "AMOUNT_HEX"
  | "AMOUNT_TOO_LARGE"
  | "AMOUNT_TRAILING_GARBAGE"
  | "AMOUNT_GROUPING"
  | "AMOUNT_UNKNOWN_UNIT";

/**
 * Bitcoin Core's JSON amount (a decimal string, or a JS number as a JSON
 * parser hands it over) to satoshis, exactly. Numbers are read through their
 * shortest round-trip string, which for every value Core prints (at most 8
 * decimals, at most 21e14 sats) is the decimal Core wrote.
 */
export function satsFromBtc(value: string | number): Sats {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new AmountError("AMOUNT_NOT_A_NUMBER", `Amount ${value} from the node is not a number`);
    }
    text = numberToPlainString(value);
  } else {
    text = value.trim();
  }
  const match = /^(-)?(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) {
    throw new AmountError("AMOUNT_NOT_A_NUMBER", `"${text}" is not a BTC amount`);
  }
  const [, sign, whole = "0", fraction = ""] = match;
  const trimmed = fraction.replace(/0+$/, "");
  if (trimmed.length > 8) {
    throw new AmountError(
      "AMOUNT_TOO_PRECISE",
      `"${text}" has more than 8 decimals, finer than a satoshi`,
    );
  }
  const sats = BigInt(whole) * SATS_PER_BTC + BigInt(trimmed.padEnd(8, "0") || "0");
  return sign ? -sats : sats;
}

/** Satoshis as the decimal BTC string Bitcoin Core accepts, always 8 decimals. */
export function btcFromSats(sats: Sats): string {
  const negative = sats < 0n;
  const abs = negative ? -sats : sats;
  const whole = abs / SATS_PER_BTC;
  const fraction = (abs % SATS_PER_BTC).toString().padStart(8, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** A JS number without exponent notation (1e-7 → "0.0000001"). */
function numberToPlainString(value: number): string {
  const text = String(value);
  const exp = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exp) return text;
  const [, sign, lead = "", rest = "", power = "0"] = exp;
  const digits = lead + rest;
  const point = 1 + Number(power);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The smallest of some amounts (`Math.min` does not take `bigint`). */
export function minSats(first: Sats, ...rest: Sats[]): Sats {
  let min = first;
  for (const value of rest) if (value < min) min = value;
  return min;
}
