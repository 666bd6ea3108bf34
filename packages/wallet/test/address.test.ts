import { secp256k1 } from "@noble/curves/secp256k1.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { createBase58check } from "@scure/base";
import { describe, expect, it } from "vitest";
import {
  AddressError,
  inspectAddress,
  isAddress,
  type ScriptType,
  validateAddress,
} from "../src/address.js";
import { NETWORKS, type Network } from "../src/network.js";
import { codeOf, makeAddress, SCRIPT_TYPES } from "./addresses.js";

describe("BIP350 segwit vectors", () => {
  it.each<[string, Network, ScriptType]>([
    ["BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "mainnet", "p2wpkh"],
    ["tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "testnet", "p2wsh"],
    ["tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", "signet", "p2wsh"],
    ["tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", "testnet", "p2tr"],
    ["bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "mainnet", "p2tr"],
  ])("%s is %s %s, returned in lower case", (address, network, type) => {
    expect(validateAddress(address, network)).toEqual({
      address: address.toLowerCase(),
      type,
      network,
    });
    expect(isAddress(address, network)).toBe(true);
  });

  it.each([
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
    "BC1SW50QGDZ25J",
    "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
  ])("%s is valid but of an unknown witness version/length: unsupported", (address) => {
    expect(inspectAddress(address).type).toBeNull();
    expect(codeOf(() => validateAddress(address, "mainnet"))).toBe("ADDRESS_UNSUPPORTED");
    expect(isAddress(address, "mainnet")).toBe(false);
  });

  it("decodes the shortest encodings there are (14 characters), which isAddress's length bound keeps", () => {
    expect(inspectAddress("bc1pfeessrawgf")).toMatchObject({ type: null, networks: ["mainnet"] });
    expect(inspectAddress("BC1SW50QGDZ25J").networks).toEqual(["mainnet"]);
    expect(isAddress("help", "mainnet")).toBe(false);
  });

  it.each([
    "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
    "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
    "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
    "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
    "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
    "bc1pw5dgrnzv",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
    "bc1gmk9yu",
    // BIP173's v0 vectors, kept because they predate BIP350
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
    "bc1rw5uspcuh",
    "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
  ])("%s is invalid on every network", (address) => {
    for (const network of NETWORKS) {
      expect(codeOf(() => validateAddress(address, network))).toBe("ADDRESS_INVALID");
    }
  });
});

describe("base58 and Core's own addresses", () => {
  it.each<[string, Network, ScriptType]>([
    ["1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "mainnet", "p2pkh"],
    ["1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "mainnet", "p2pkh"],
    ["3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "mainnet", "p2sh"],
    ["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r", "testnet", "p2pkh"],
    ["2NAUYAHhujozruyzpsFRP63mbrdaU5wnEpN", "signet", "p2sh"],
    // fixtures: addresses handed out by Bitcoin Core v30 on regtest
    ["mgHcbivxyaPFdJ34hZU3gnh9J2gXE5j5Cw", "regtest", "p2pkh"],
    ["mxYYtpuhjQRoFnQJHSEfqvjCXpY8YNhgka", "regtest", "p2pkh"],
    ["2MzpgzwXy79bv17LEyviBdGGakaJ5LRKAwk", "regtest", "p2sh"],
    ["bcrt1qqf06972utscjxs7azrag9gajn4u4yczr9p4nzh", "regtest", "p2wpkh"],
    ["bcrt1q97lgdyakcepvdrvfq5qyhfgjqyvjr8a6cnstxj", "regtest", "p2wpkh"],
    ["bcrt1pvm3rfcm6mtv9kg7hrartfmzg4h9lk8l28480lktf97sy9pm8anzq2j78y0", "regtest", "p2tr"],
  ])("%s is %s %s", (address, network, type) => {
    expect(validateAddress(address, network)).toEqual({ address, type, network });
  });

  it.each([
    "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", // checksum
    "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN", // truncated
    "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa ", // whitespace
    "0A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", // not base58
    "11A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", // leading zero byte: 22-byte payload
    "notanaddress",
    "",
    "x".repeat(10_000),
    "bc1", // a known prefix with nothing after it
  ])("%j is invalid", (address) => {
    expect(codeOf(() => validateAddress(address, "mainnet"))).toBe("ADDRESS_INVALID");
  });

  it("refuses a base58check payload with an unknown version byte", () => {
    const base58check = createBase58check(sha256);
    for (const version of [0x30, 0x01, 0xef]) {
      const payload = new Uint8Array(21).fill(7);
      payload[0] = version; // 0x30: Litecoin P2PKH; 0xef: testnet WIF key
      expect(codeOf(() => inspectAddress(base58check.encode(payload)))).toBe("ADDRESS_INVALID");
    }
    const long = new Uint8Array(33); // right version byte, wrong length
    expect(codeOf(() => inspectAddress(base58check.encode(long)))).toBe("ADDRESS_INVALID");
  });
});

describe("networks", () => {
  it("names the networks of an address from another one", () => {
    // fixtures: Core on regtest refuses this mainnet address (-5)
    const error = catchError(() =>
      validateAddress("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "regtest"),
    );
    expect(error.code).toBe("ADDRESS_WRONG_NETWORK");
    expect(error.networks).toEqual(["mainnet"]);
    expect(error.message).toContain("mainnet");
  });

  it("testnet and signet share every address; regtest only the base58 ones", () => {
    const testnet = "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx";
    expect(isAddress(testnet, "testnet")).toBe(true);
    expect(isAddress(testnet, "signet")).toBe(true);
    expect(catchError(() => validateAddress(testnet, "regtest")).networks).toEqual([
      "testnet",
      "signet",
    ]);
    expect(inspectAddress("mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r").networks).toEqual([
      "testnet",
      "signet",
      "regtest",
    ]);
    expect(
      catchError(() => validateAddress("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "signet")).code,
    ).toBe("ADDRESS_WRONG_NETWORK");
  });

  it("agrees with @scure/btc-signer for every type on every network", () => {
    const priv = secp256k1.utils.randomSecretKey();
    for (const network of NETWORKS) {
      for (const type of SCRIPT_TYPES) {
        const address = makeAddress(priv, type, network);
        expect(validateAddress(address!, network)).toEqual({ address, type, network });
        const others = NETWORKS.filter((n) => !inspectAddress(address!).networks.includes(n));
        for (const other of others) expect(isAddress(address!, other)).toBe(false);
      }
    }
  });
});

function catchError(run: () => unknown): AddressError {
  try {
    run();
  } catch (error) {
    if (error instanceof AddressError) return error;
    throw error;
  }
  throw new Error("expected an AddressError");
}
