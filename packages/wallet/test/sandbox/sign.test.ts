/**
 * The sandbox's linear-time signer must produce exactly what a reference
 * signer (@scure/btc-signer) produces, for every address type the wallet has.
 */
import { randomBytes } from "node:crypto";
import { hex } from "@scure/base";
import { HDKey } from "@scure/bip32";
import { Transaction } from "@scure/btc-signer";
import { describe, expect, it } from "vitest";
import { redeemScript } from "../../src/sandbox/coins.js";
import { createKeyChain } from "../../src/sandbox/keys.js";
import { type SigningInput, signTransaction } from "../../src/sandbox/sign.js";
import { parseTx } from "../../src/sandbox/tx.js";

describe("keys", () => {
  it("derives private keys like BIP 32 (HDKey) and matching the public keys", () => {
    const seed = randomBytes(32).toString("hex");
    const keys = createKeyChain(seed);
    const master = HDKey.fromMasterSeed(hex.decode(seed));
    for (const [type, path] of [
      ["bech32", "m/84'/1'/0'/0/7"],
      ["legacy", "m/44'/1'/0'/1/3"],
    ] as const) {
      const index = Number(path.split("/").pop());
      const key = keys.derive(type, path.includes("/1/"), index, 0);
      const expected = master.derive(path);
      expect(hex.encode(keys.privateKey(key))).toBe(hex.encode(expected.privateKey as Uint8Array));
      expect(key.pubkey).toBe(hex.encode(expected.publicKey as Uint8Array));
      expect(keys.hdKeyPath(key)).toBe(path.replaceAll("'", "h"));
    }
  });
});

describe("signTransaction", () => {
  it("matches the reference signer byte for byte on all four address types", () => {
    const keys = createKeyChain(randomBytes(32).toString("hex"));
    const types = ["legacy", "p2sh-segwit", "bech32", "bech32m"] as const;
    const inputs: SigningInput[] = types.map((type, i) => {
      const key = keys.derive(type, i % 2 === 1, i, 0);
      return {
        txid: randomBytes(32).toString("hex"),
        vout: i,
        value: 100_000n * BigInt(i + 1),
        key,
        privateKey: keys.privateKey(key),
        sequence: 0xfffffffd,
      };
    });
    const outputs = [
      { script: inputs[2]?.key.script as string, value: 150_000n },
      { script: inputs[3]?.key.script as string, value: 90_000n },
    ];
    const ours = signTransaction({ inputs, outputs, lockTime: 321 });

    const reference = new Transaction({ allowLegacyWitnessUtxo: true, lockTime: 321, lowR: true });
    for (const i of inputs) {
      reference.addInput({
        txid: i.txid,
        index: i.vout,
        sequence: i.sequence,
        witnessUtxo: { script: hex.decode(i.key.script), amount: i.value },
        ...(i.key.type === "p2sh-segwit" ? { redeemScript: hex.decode(redeemScript(i.key)) } : {}),
        ...(i.key.type === "bech32m" ? { tapInternalKey: hex.decode(i.key.pubkey) } : {}),
      });
    }
    for (const o of outputs) reference.addOutput({ script: hex.decode(o.script), amount: o.value });
    inputs.forEach((i, idx) => {
      // BIP 340 aux randomness of zeros, as the sandbox uses, makes Schnorr deterministic.
      reference.signIdx(i.privateKey, idx, undefined, new Uint8Array(32));
    });
    reference.finalize();
    expect(ours).toBe(hex.encode(reference.extract()));
    const parsed = parseTx(ours, 0);
    expect(parsed.inputs.map((i) => i.txid)).toEqual(inputs.map((i) => i.txid));
    expect(parsed.outputs).toEqual(outputs);
  });
});
