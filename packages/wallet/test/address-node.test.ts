import { secp256k1 } from "@noble/curves/secp256k1.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AddressError, type AddressErrorCode } from "../src/address.js";
import { addressToNode, nodeToAddress } from "../src/address-node.js";
import { NETWORKS, type Network } from "../src/network.js";
import { codeOf, makeAddress, SCRIPT_TYPES } from "./addresses.js";

const RUNS = { numRuns: 200 };
const TYPES = SCRIPT_TYPES;

const generated = fc
  .record({
    secret: fc.bigInt({ min: 1n, max: secp256k1.Point.CURVE().n - 1n }),
    type: fc.constantFrom(...TYPES),
    network: fc.constantFrom(...NETWORKS),
  })
  .map(({ secret, type, network }) => ({
    address: makeAddress(secret, type, network),
    type,
    network,
  }));

describe("hand-worked vectors", () => {
  it.each<[string, Network, string]>([
    // working in src/address-node.ts
    ["1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "mainnet", "1bvbmseystwetqtfn5au4m4gfg7xjanvn2-3asdjr"],
    // letters m r C D r C y b B J v R f b w M h e m d J z F w D B C r
    // bits    0 0 1 1 0 1 0 0 1 1 0 1 0 0 0 1 0 0 0 0 1 0 1 0 1 1 1 0
    // = 55382190 = 4·36^5 + 33·36^4 + 35·36^3 + 1·36^2 + 6·36 + 6 → "wz166"
    ["mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r", "regtest", "mrcdrcybb6j1vrfbwm5hemdjz73fwdbc8r-wz166"],
    // letters J t W p E Z C N m Q v i e c r n y i W r n q R h W N L y
    // bits    1 0 1 0 1 1 1 1 0 1 0 0 0 0 0 0 0 0 1 0 0 0 1 0 1 1 1 0
    // = 183763502 = 3·36^5 + 1·36^4 + 14·36^3 + 24·36^2 + 29·36 + 26 → "31eotq"
    ["3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "mainnet", "3j98t1wpez73cnmqviecrnyiwrnqrhwnly-31eotq"],
    // bech32: already lower case, the node is the address
    [
      "bcrt1qqf06972utscjxs7azrag9gajn4u4yczr9p4nzh",
      "regtest",
      "bcrt1qqf06972utscjxs7azrag9gajn4u4yczr9p4nzh",
    ],
  ])("%s ↔ %s", (address, network, node) => {
    expect(addressToNode(address)).toBe(node);
    expect(nodeToAddress(node, network)).toBe(address);
    expect(nodeToAddress(node.toUpperCase(), network)).toBe(address);
  });

  it("an upper-case bech32 address has the lower-case node", () => {
    const node = addressToNode("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4");
    expect(node).toBe("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
    expect(nodeToAddress(node, "mainnet")).toBe(node);
  });

  it("refuses to make a node for something that is not an address", () => {
    expect(codeOf(() => addressToNode("notanaddress"))).toBe("ADDRESS_INVALID");
  });
});

describe("nodes that are refused", () => {
  const p2pkh = "1bvbmseystwetqtfn5au4m4gfg7xjanvn2";
  const bech = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
  it.each<[string, AddressErrorCode]>([
    [`${p2pkh}-03asdjr`, "ADDRESS_NODE_NON_CANONICAL"], // leading zero
    [`${p2pkh}-0`, "ADDRESS_NODE_NON_CANONICAL"],
    [`${p2pkh}-${(199518615 + 2 ** 28).toString(36)}`, "ADDRESS_NODE_NON_CANONICAL"], // 29th bit
    [`${p2pkh}-zzzzzzzzzzzz`, "ADDRESS_NODE_NON_CANONICAL"],
    [`${p2pkh}-3asdjs`, "ADDRESS_NODE_INVALID"], // one letter's case wrong: bad checksum
    [p2pkh, "ADDRESS_NODE_INVALID"], // mask dropped
    [`${p2pkh}-3asdjr-1`, "ADDRESS_NODE_INVALID"],
    [`${p2pkh}-`, "ADDRESS_NODE_INVALID"],
    [`-3asdjr`, "ADDRESS_NODE_INVALID"],
    ["", "ADDRESS_NODE_INVALID"],
    ["alice", "ADDRESS_NODE_INVALID"],
    ["alice\\40example.org", "ADDRESS_NODE_INVALID"],
    [`${p2pkh}-3asdjr@x`, "ADDRESS_NODE_INVALID"],
    [`${bech}-1`, "ADDRESS_NODE_INVALID"], // mixed case bech32
    // every letter upper case: a valid spelling of the same bech32 address,
    // but not its one node
    [`${bech}-${(2 ** 28 - 1).toString(36)}`, "ADDRESS_NODE_NON_CANONICAL"],
    ["bcrt1qqf06972utscjxs7azrag9gajn4u4yczr9p4nzh", "ADDRESS_WRONG_NETWORK"],
    ["bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "ADDRESS_UNSUPPORTED"],
  ])("%j → %s", (node, code) => {
    expect(codeOf(() => nodeToAddress(node, "mainnet"))).toBe(code);
  });

  it("testnet nodes serve signet too, not mainnet", () => {
    const node = addressToNode("mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r");
    expect(nodeToAddress(node, "signet")).toBe("mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r");
    expect(codeOf(() => nodeToAddress(node, "mainnet"))).toBe("ADDRESS_WRONG_NETWORK");
  });
});

describe("properties over generated addresses", () => {
  it("every address round-trips through its node, case-insensitively", () => {
    fc.assert(
      fc.property(generated, ({ address, type, network }) => {
        const node = addressToNode(address);
        expect(node).toMatch(/^[0-9a-z]+(-[1-9a-z][0-9a-z]*)?$/);
        if (type !== "p2pkh" && type !== "p2sh") expect(node).toBe(address);
        expect(nodeToAddress(node, network)).toBe(address);
        expect(nodeToAddress(node.toUpperCase(), network)).toBe(address);
      }),
      RUNS,
    );
  });

  it("a mutated node never decodes to another address", () => {
    const alphabet = [..."0123456789abcdefghijklmnopqrstuvwxyz-"];
    const mutation = fc.record({
      at: fc.nat(),
      char: fc.constantFrom(...alphabet),
      kind: fc.constantFrom("replace", "insert", "delete", "swap"),
    });
    fc.assert(
      fc.property(generated, mutation, ({ address, network }, { at, char, kind }) => {
        const node = addressToNode(address);
        const i = at % node.length;
        const mutated =
          kind === "replace"
            ? node.slice(0, i) + char + node.slice(i + 1)
            : kind === "insert"
              ? node.slice(0, i) + char + node.slice(i)
              : kind === "delete"
                ? node.slice(0, i) + node.slice(i + 1)
                : node.slice(0, i) +
                  node.slice(i + 1, i + 2) +
                  node.slice(i, i + 1) +
                  node.slice(i + 2);
        let decoded: string | undefined;
        try {
          decoded = nodeToAddress(mutated, network);
        } catch (error) {
          expect(error).toBeInstanceOf(AddressError);
        }
        if (decoded !== undefined) {
          expect(mutated).toBe(node); // only a no-op mutation may decode
          expect(decoded).toBe(address);
        }
      }),
      RUNS,
    );
  });
});
