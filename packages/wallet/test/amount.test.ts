import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AmountError,
  type AmountErrorCode,
  btcFromSats,
  MAX_MONEY,
  SATS_PER_BTC,
  satsFromBtc,
} from "../src/amount.js";
import { formatAmount, parseAmount } from "../src/amount-format.js";

const RUNS = { numRuns: 300 };
const positive = fc.bigInt({ min: 1n, max: MAX_MONEY });
const anyAmount = fc.bigInt({ min: -MAX_MONEY, max: MAX_MONEY });

function codeOf(run: () => unknown): AmountErrorCode | "no error" {
  try {
    run();
  } catch (error) {
    if (error instanceof AmountError) return error.code;
    throw error;
  }
  return "no error";
}

describe("parseAmount accepts", () => {
  it.each([
    ["0.01", 1_000_000n],
    ["0.01 BTC", 1_000_000n],
    ["0.01btc", 1_000_000n],
    ["1", SATS_PER_BTC],
    ["  2.5  ", 250_000_000n],
    ["0,5", 50_000_000n],
    ["1,000", SATS_PER_BTC], // one separator is always the decimal one
    [".5", 50_000_000n],
    ["5.", 500_000_000n],
    ["0.00000001", 1n],
    ["0.000000010", 1n], // a trailing zero beyond 8 decimals is still exact
    ["1500 sat", 1500n],
    ["1500 sats", 1500n],
    ["1500 SATS", 1500n],
    ["1 satoshi", 1n],
    ["1.0 sat", 1n],
    ["1.5 mBTC", 150_000n],
    ["1.5 MBTC", 150_000n],
    ["0.00001 mbtc", 1n],
    ["21000000", MAX_MONEY],
    ["21000000.00000000 BTC", MAX_MONEY],
    ["2100000000000000 sat", MAX_MONEY],
    ["007", 7n * SATS_PER_BTC],
  ])("%j → %d sat", (input, sats) => {
    expect(parseAmount(input)).toBe(sats);
  });

  it("zero only with allowZero", () => {
    expect(parseAmount("0", { allowZero: true })).toBe(0n);
    expect(parseAmount("0.0 sat", { allowZero: true })).toBe(0n);
    expect(codeOf(() => parseAmount("0"))).toBe("AMOUNT_ZERO");
    expect(codeOf(() => parseAmount("0,00 BTC"))).toBe("AMOUNT_ZERO");
  });
});

describe("parseAmount rejects", () => {
  it.each<[string, AmountErrorCode]>([
    ["", "AMOUNT_EMPTY"],
    ["   ", "AMOUNT_EMPTY"],
    ["abc", "AMOUNT_NOT_A_NUMBER"],
    ["BTC", "AMOUNT_NOT_A_NUMBER"],
    [".", "AMOUNT_NOT_A_NUMBER"],
    ["NaN", "AMOUNT_NOT_A_NUMBER"],
    ["Infinity", "AMOUNT_NOT_A_NUMBER"],
    ["-Infinity", "AMOUNT_NOT_A_NUMBER"],
    ["+1", "AMOUNT_NOT_A_NUMBER"],
    ["−1", "AMOUNT_NOT_A_NUMBER"], // U+2212 minus sign
    ["١٢", "AMOUNT_NOT_A_NUMBER"], // Arabic-Indic digits
    ["１", "AMOUNT_NOT_A_NUMBER"], // full-width digit
    ["1٫5", "AMOUNT_TRAILING_GARBAGE"], // U+066B Arabic decimal separator
    ["-1", "AMOUNT_NEGATIVE"],
    ["-0.5 BTC", "AMOUNT_NEGATIVE"],
    ["-0", "AMOUNT_NEGATIVE"],
    ["-1.5 XBT", "AMOUNT_UNKNOWN_UNIT"],
    ["-", "AMOUNT_NOT_A_NUMBER"],
    ["0.000000001", "AMOUNT_TOO_PRECISE"],
    ["0.123456789", "AMOUNT_TOO_PRECISE"],
    ["0.000001 mBTC", "AMOUNT_TOO_PRECISE"],
    ["1.5 sat", "AMOUNT_TOO_PRECISE"],
    ["1e3", "AMOUNT_EXPONENT"],
    ["1e309", "AMOUNT_EXPONENT"],
    ["1.5E-3", "AMOUNT_EXPONENT"],
    ["0x10", "AMOUNT_HEX"],
    ["0X1F", "AMOUNT_HEX"],
    ["21000000.00000001", "AMOUNT_TOO_LARGE"],
    ["21000001", "AMOUNT_TOO_LARGE"],
    ["2100000000000001 sat", "AMOUNT_TOO_LARGE"],
    ["99999999999999999999999999999999", "AMOUNT_TOO_LARGE"],
    ["1,000.5", "AMOUNT_GROUPING"],
    ["1.000,5", "AMOUNT_GROUPING"],
    ["1.000.000", "AMOUNT_GROUPING"],
    ["1 000", "AMOUNT_GROUPING"],
    ["1 000 sat", "AMOUNT_GROUPING"],
    ["1\u00a0000", "AMOUNT_GROUPING"],
    ["1\u202f000", "AMOUNT_GROUPING"],
    ["1'000", "AMOUNT_GROUPING"],
    ["1_000", "AMOUNT_GROUPING"],
    ["1.5abc", "AMOUNT_TRAILING_GARBAGE"],
    ["1.5 BTC extra", "AMOUNT_TRAILING_GARBAGE"],
    ["1.5  BTC", "AMOUNT_TRAILING_GARBAGE"],
    ["1.5\tBTC", "AMOUNT_TRAILING_GARBAGE"],
    ["1\u200b000", "AMOUNT_TRAILING_GARBAGE"], // zero-width space
    ["1.5%", "AMOUNT_TRAILING_GARBAGE"],
    ["1.5 XBT", "AMOUNT_UNKNOWN_UNIT"],
    ["1.5 bits", "AMOUNT_UNKNOWN_UNIT"],
    ["1.5 µBTC", "AMOUNT_UNKNOWN_UNIT"],
  ])("%j → %s", (input, code) => {
    expect(codeOf(() => parseAmount(input))).toBe(code);
  });
});

describe("formatAmount", () => {
  it.each([
    [1_000_000n, "0.01"],
    [SATS_PER_BTC, "1"],
    [1n, "0.00000001"],
    [0n, "0"],
    [MAX_MONEY, "21000000"],
    [123_456_789_012n, "1234.56789012"],
    [-150_000n, "-0.0015"],
  ])("%d sat → %s", (sats, text) => {
    expect(formatAmount(sats)).toBe(text);
    expect(formatAmount(sats, { unit: "BTC", locale: "en" })).toBe(text);
  });

  it("uses the locale's decimal comma, never grouping", () => {
    expect(formatAmount(123_456_789_012n, { locale: "fr" })).toBe("1234,56789012");
    expect(formatAmount(-1n, { locale: "de-DE" })).toBe("-0,00000001");
    expect(formatAmount(100_000_000_000n, { locale: "de" })).toBe("1000");
  });

  it("falls back to '.' for separators parseAmount would not read, or a bad tag", () => {
    expect(formatAmount(150_000_000n, { locale: "fa" })).toBe("1.5");
    expect(formatAmount(150_000_000n, { locale: "not a locale!" })).toBe("1.5");
  });
});

describe("round trips", () => {
  it("parseAmount(formatAmount(x)) === x", () => {
    fc.assert(
      fc.property(positive, (sats) => parseAmount(formatAmount(sats)) === sats),
      RUNS,
    );
  });

  it("parseAmount(formatAmount(x, fr)) === x", () => {
    fc.assert(
      fc.property(positive, (sats) => parseAmount(formatAmount(sats, { locale: "fr" })) === sats),
      RUNS,
    );
  });

  it("satsFromBtc(btcFromSats(x)) === x, as string and as a JSON number", () => {
    fc.assert(
      fc.property(anyAmount, (sats) => {
        const text = btcFromSats(sats);
        expect(satsFromBtc(text)).toBe(sats);
        expect(satsFromBtc(Number(text))).toBe(sats);
        expect(satsFromBtc(JSON.parse(text) as number)).toBe(sats);
      }),
      RUNS,
    );
  });

  it("holds at the edges, where doubles are tightest", () => {
    for (const sats of [1n, 10n, 99n, MAX_MONEY, MAX_MONEY - 1n, -MAX_MONEY, -1n, 0n]) {
      expect(satsFromBtc(Number(btcFromSats(sats)))).toBe(sats);
      if (sats > 0n) expect(parseAmount(formatAmount(sats, { locale: "fr" }))).toBe(sats);
    }
  });
});
