import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AddressError } from "../src/address.js";
import { type AmountError, MAX_MONEY } from "../src/amount.js";
import { Bip21Error, type Bip21ErrorCode, buildBip21, parseBip21 } from "../src/bip21.js";

const BECH32 = "bcrt1qqf06972utscjxs7azrag9gajn4u4yczr9p4nzh";
const LEGACY = "mgHcbivxyaPFdJ34hZU3gnh9J2gXE5j5Cw";

function errorOf(run: () => unknown): Bip21Error {
  try {
    run();
  } catch (error) {
    if (error instanceof Bip21Error) return error;
    throw error;
  }
  throw new Error("expected a Bip21Error");
}

describe("buildBip21", () => {
  it("writes the address alone, or with its parameters in order", () => {
    expect(buildBip21({ address: BECH32 })).toBe(`bitcoin:${BECH32}`);
    expect(
      buildBip21({ address: LEGACY, amount: 1_000_000n, label: "Alice", message: "Pizza" }),
    ).toBe(`bitcoin:${LEGACY}?amount=0.01&label=Alice&message=Pizza`);
    expect(buildBip21({ address: BECH32, amount: 150_000_000n })).toBe(
      `bitcoin:${BECH32}?amount=1.5`,
    );
    expect(buildBip21({ address: BECH32, amount: 1n })).toBe(`bitcoin:${BECH32}?amount=0.00000001`);
  });

  it("percent-encodes label and message per RFC 3986 (UTF-8, %20, no +)", () => {
    expect(buildBip21({ address: BECH32, label: "Luke-Jr's café & co (1+1=2)*!~_." })).toBe(
      `bitcoin:${BECH32}?label=Luke-Jr%27s%20caf%C3%A9%20%26%20co%20%281%2B1%3D2%29%2A%21~_.`,
    );
    expect(buildBip21({ address: BECH32, message: "a?b#c/d" })).toBe(
      `bitcoin:${BECH32}?message=a%3Fb%23c%2Fd`,
    );
  });

  it.each<[string, Parameters<typeof buildBip21>[0], Bip21ErrorCode]>([
    ["amount 0", { address: BECH32, amount: 0n }, "BIP21_AMOUNT_INVALID"],
    ["amount -1", { address: BECH32, amount: -1n }, "BIP21_AMOUNT_INVALID"],
    ["amount MAX_MONEY+1", { address: BECH32, amount: MAX_MONEY + 1n }, "BIP21_AMOUNT_INVALID"],
    ["a ? in the address", { address: `${BECH32}?amount=1` }, "BIP21_ADDRESS_INVALID"],
    ["no address", { address: "" }, "BIP21_ADDRESS_INVALID"],
    ["a lone surrogate", { address: BECH32, label: "\ud800" }, "BIP21_MALFORMED"],
  ])("refuses %s (%s)", (_name, request, code) => {
    expect(errorOf(() => buildBip21(request)).code).toBe(code);
  });
});

describe("parseBip21", () => {
  it("reads what buildBip21 writes, for any label and amount", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: MAX_MONEY }),
        fc.string({ unit: "grapheme", maxLength: 30 }),
        fc.string({ maxLength: 30 }),
        (amount, label, message) => {
          const uri = buildBip21({ address: LEGACY, amount, label, message });
          expect(parseBip21(uri, "regtest")).toEqual({ address: LEGACY, amount, label, message });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("accepts the BIP21 examples' shapes", () => {
    expect(parseBip21(`bitcoin:${LEGACY}`, "regtest")).toEqual({ address: LEGACY });
    expect(
      parseBip21(
        `bitcoin:${LEGACY}?label=Luke-Jr&amount=20.3&message=Donation%20for%20project%20xyz`,
        "regtest",
      ),
    ).toEqual({
      address: LEGACY,
      amount: 2_030_000_000n,
      label: "Luke-Jr",
      message: "Donation for project xyz",
    });
    expect(
      parseBip21(`bitcoin:${LEGACY}?amount=50&somethingyoudontunderstand=50`, "regtest"),
    ).toEqual({ address: LEGACY, amount: 5_000_000_000n });
  });

  it("takes an upper-case scheme and bech32 address (QR alphanumeric mode)", () => {
    expect(parseBip21(`BITCOIN:${BECH32.toUpperCase()}?amount=.5`, "regtest")).toEqual({
      address: BECH32,
      amount: 50_000_000n,
    });
  });

  it("keeps a + as a plus and an empty label as empty", () => {
    expect(parseBip21(`bitcoin:${BECH32}?label=a+b&message=`, "regtest")).toEqual({
      address: BECH32,
      label: "a+b",
      message: "",
    });
  });

  it.each<[string, Bip21ErrorCode]>([
    [BECH32, "BIP21_NOT_BITCOIN_URI"],
    [`litecoin:${BECH32}`, "BIP21_NOT_BITCOIN_URI"],
    ["bitcoin:", "BIP21_ADDRESS_INVALID"],
    ["bitcoin:?amount=1", "BIP21_ADDRESS_INVALID"],
    [`bitcoin://${BECH32}`, "BIP21_ADDRESS_INVALID"],
    [`bitcoin:${BECH32}x`, "BIP21_ADDRESS_INVALID"],
    [`bitcoin:${BECH32}?amount=0`, "BIP21_AMOUNT_INVALID"],
    [`bitcoin:${BECH32}?amount=`, "BIP21_AMOUNT_INVALID"],
    [`bitcoin:${BECH32}?amount`, "BIP21_AMOUNT_INVALID"],
    [`bitcoin:${BECH32}?amount=-1`, "BIP21_AMOUNT_INVALID"],
    [`bitcoin:${BECH32}?amount=0,5`, "BIP21_AMOUNT_INVALID"],
    [`bitcoin:${BECH32}?amount=1,000.5`, "BIP21_AMOUNT_INVALID"],
    [`bitcoin:${BECH32}?amount=1e3`, "BIP21_AMOUNT_INVALID"],
    [`bitcoin:${BECH32}?amount=1%20BTC`, "BIP21_AMOUNT_INVALID"],
    [`bitcoin:${BECH32}?amount=1500%20sat`, "BIP21_AMOUNT_INVALID"],
    [`bitcoin:${BECH32}?amount=0.000000001`, "BIP21_AMOUNT_INVALID"],
    [`bitcoin:${BECH32}?amount=21000000.00000001`, "BIP21_AMOUNT_INVALID"],
    [`bitcoin:${BECH32}?amount=1&amount=2`, "BIP21_DUPLICATE_PARAMETER"],
    [`bitcoin:${BECH32}?label=a&label=b`, "BIP21_DUPLICATE_PARAMETER"],
    [`bitcoin:${BECH32}?req-somethingyoudontunderstand=50`, "BIP21_REQUIRED_PARAMETER_UNKNOWN"],
    [`bitcoin:${BECH32}?amount=1&REQ-x=1`, "BIP21_REQUIRED_PARAMETER_UNKNOWN"],
    [`bitcoin:${BECH32}?label=%E0%A4%A`, "BIP21_MALFORMED"],
    [`bitcoin:${BECH32}?label=%ZZ`, "BIP21_MALFORMED"],
  ])("%s → %s", (uri, code) => {
    expect(errorOf(() => parseBip21(uri, "regtest")).code).toBe(code);
  });

  it("carries the address or amount error as the cause", () => {
    const wrongNetwork = errorOf(() => parseBip21(`bitcoin:${BECH32}`, "mainnet"));
    expect(wrongNetwork.cause).toBeInstanceOf(AddressError);
    expect((wrongNetwork.cause as AddressError).code).toBe("ADDRESS_WRONG_NETWORK");
    const tooPrecise = errorOf(() => parseBip21(`bitcoin:${BECH32}?amount=0.000000001`, "regtest"));
    expect((tooPrecise.cause as AmountError).code).toBe("AMOUNT_TOO_PRECISE");
  });
});
