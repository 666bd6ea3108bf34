/**
 * Amounts as people write and read them (chat commands, status lines).
 * Core's own JSON amounts go through `satsFromBtc` / `btcFromSats` instead.
 *
 * Rules of `parseAmount`, so that what a user types is what they pay:
 * - A number, then optionally one ASCII space or nothing, then a unit:
 *   `BTC` (the default when there is none), `mBTC`, `sat`/`sats`/`satoshi`/
 *   `satoshis`; units are case-insensitive. Surrounding whitespace is ignored.
 * - Exactly one `.` or `,` is the decimal separator (`0,5` = `0.5`; hence
 *   `1,000` is one BTC, never a thousand). Two or more separators (`1,000.5`,
 *   `1.000.000`) and digit groups split by spaces, `'` or `_` (`1 000`,
 *   `1'000`, `1_000`) are AMOUNT_GROUPING. `.5` and `5.` are accepted.
 * - At most 8 decimals for BTC, 5 for mBTC, none for sat (AMOUNT_TOO_PRECISE);
 *   extra trailing zeros are harmless (`1.0 sat` is one satoshi), as in Core.
 * - Only ASCII digits: other scripts' digits, `NaN`, `Infinity` and a leading
 *   `+` are AMOUNT_NOT_A_NUMBER; `1e3` is AMOUNT_EXPONENT, `0x10` AMOUNT_HEX.
 * - Any leading `-` is AMOUNT_NEGATIVE, even `-0` (a sign is never accepted).
 * - Zero is AMOUNT_ZERO unless `allowZero`; above 21,000,000 BTC is
 *   AMOUNT_TOO_LARGE.
 * - After the number: a known unit, or AMOUNT_UNKNOWN_UNIT for one unknown
 *   word after a space (`1.5 XBT`); anything else (`1.5abc`, `1.5 BTC extra`,
 *   two spaces) is AMOUNT_TRAILING_GARBAGE.
 */
import { AmountError, MAX_MONEY, SATS_PER_BTC, type Sats } from "./amount.js";

/** Each unit's decimals; a unit is always 10^decimals satoshis. */
const UNIT_DECIMALS: Readonly<Record<string, number>> = {
  btc: 8,
  mbtc: 5,
  sat: 0,
  sats: 0,
  satoshi: 0,
  satoshis: 0,
};

/** 21,000,000 BTC has 8 whole digits; longer (after leading zeros) is too large anyway. */
const MAX_WHOLE_DIGITS = 20;

export function parseAmount(input: string, options: { allowZero?: boolean } = {}): Sats {
  const text = input.trim();
  if (text === "") throw new AmountError("AMOUNT_EMPTY", "No amount given");
  // Digits of other scripts (Arabic-Indic, full-width…) would parse as
  // something else in another tool; refuse them outright.
  if (/(?![0-9])\p{Nd}/u.test(text)) {
    throw new AmountError("AMOUNT_NOT_A_NUMBER", `"${text}" has digits other than 0-9`);
  }
  if (text.startsWith("-")) {
    parseUnsigned(text.slice(1), text); // a malformed rest keeps its own error
    throw new AmountError("AMOUNT_NEGATIVE", `"${text}" is negative`);
  }
  const sats = parseUnsigned(text, text);
  if (sats === 0n && options.allowZero !== true) {
    throw new AmountError("AMOUNT_ZERO", `"${text}" is zero`);
  }
  return sats;
}

function parseUnsigned(text: string, original: string): Sats {
  if (text.startsWith("+")) {
    throw new AmountError("AMOUNT_NOT_A_NUMBER", `"${original}": no sign, just the number`);
  }
  if (/^0x/i.test(text)) {
    throw new AmountError("AMOUNT_HEX", `"${original}" is hexadecimal, not a decimal amount`);
  }
  const number = /^[0-9.,]*/.exec(text)?.[0] ?? "";
  const rest = text.slice(number.length);
  if (!/[0-9]/.test(number)) {
    throw new AmountError("AMOUNT_NOT_A_NUMBER", `"${original}" is not a number`);
  }
  if (/^e[+-]?[0-9]/i.test(rest)) {
    throw new AmountError("AMOUNT_EXPONENT", `"${original}": write the amount without exponent`);
  }
  if (/^[\s'_\u2019]+[0-9]/u.test(rest) || number.replace(/[0-9]/g, "").length > 1) {
    throw new AmountError(
      "AMOUNT_GROUPING",
      `"${original}": no thousands separators; one "." or "," marks the decimals`,
    );
  }
  const decimals = parseUnit(rest, original);
  const [whole = "", fraction = ""] = number.split(/[.,]/);
  const significant = fraction.replace(/0+$/, "");
  if (significant.length > decimals) {
    throw new AmountError(
      "AMOUNT_TOO_PRECISE",
      `"${original}" is finer than a satoshi (at most ${decimals} decimals in that unit)`,
    );
  }
  const wholeDigits = whole.replace(/^0+/, "");
  if (wholeDigits.length > MAX_WHOLE_DIGITS) throw tooLarge(original);
  const sats =
    BigInt(wholeDigits || "0") * 10n ** BigInt(decimals) +
    BigInt(significant.padEnd(decimals, "0") || "0");
  if (sats > MAX_MONEY) throw tooLarge(original);
  return sats;
}

/** The unit written after the number, as its number of decimals. */
function parseUnit(rest: string, original: string): number {
  if (rest === "") return 8;
  const match = /^( ?)(\S+)$/u.exec(rest);
  const decimals = match ? UNIT_DECIMALS[match[2]!.toLowerCase()] : undefined;
  if (decimals !== undefined) return decimals;
  if (match?.[1] === " ") {
    throw new AmountError(
      "AMOUNT_UNKNOWN_UNIT",
      `"${original}": unknown unit "${match[2]}" (use BTC, mBTC or sat)`,
    );
  }
  throw new AmountError("AMOUNT_TRAILING_GARBAGE", `"${original}" has more than an amount`);
}

function tooLarge(original: string): AmountError {
  return new AmountError("AMOUNT_TOO_LARGE", `"${original}" is more than 21,000,000 BTC`);
}

/**
 * Satoshis as BTC for display: trailing zeros trimmed, no grouping, a leading
 * minus when negative. The decimal separator is the locale's when it is ","
 * and "." otherwise (also without a locale), so every output reads back
 * through `parseAmount` (a locale's "٫" would not).
 */
export function formatAmount(sats: Sats, options: { locale?: string; unit?: "BTC" } = {}): string {
  const separator = options.locale === undefined ? "." : decimalSeparator(options.locale);
  const negative = sats < 0n;
  const abs = negative ? -sats : sats;
  const whole = abs / SATS_PER_BTC;
  const fraction = (abs % SATS_PER_BTC).toString().padStart(8, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction === "" ? "" : separator + fraction}`;
}

/**
 * The locale's decimal separator, if it is one we can read back (`,` or
 * `.`). Through `toLocaleString`, whose formatter the engine keeps: amounts
 * are formatted on every reply, and a new `Intl.NumberFormat` costs ~50×.
 */
function decimalSeparator(locale: string): "." | "," {
  let text: string;
  try {
    text = (1.5).toLocaleString(locale);
  } catch (error) {
    // A malformed locale tag from configuration must not break a display.
    if (error instanceof RangeError) return ".";
    throw error;
  }
  return text === "1,5" ? "," : ".";
}
