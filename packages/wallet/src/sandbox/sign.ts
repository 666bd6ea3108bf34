/**
 * Signing wallet payments with cached BIP 143 / BIP 341 midstates, so a
 * payment spending thousands of coins signs in linear time (a generic
 * signer recomputes the prevouts/outputs hashes for every input).
 */
import { schnorr, secp256k1 } from "@noble/curves/secp256k1.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import { RawTx } from "@scure/btc-signer";
import { sha256d } from "./hash.js";
import type { KeyRecord } from "./keys.js";

export interface SigningInput {
  readonly txid: string;
  readonly vout: number;
  readonly value: bigint;
  readonly key: KeyRecord;
  readonly privateKey: Uint8Array;
  readonly sequence: number;
}

export interface UnsignedTx {
  readonly inputs: readonly SigningInput[];
  readonly outputs: readonly { script: string; value: bigint }[];
  readonly lockTime: number;
}

const VERSION = 2;
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
};
const u64 = (n: bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n, true);
  return b;
};
const varBytes = (b: Uint8Array): Uint8Array =>
  concat([
    b.length < 253 ? Uint8Array.of(b.length) : Uint8Array.of(0xfd, b.length & 0xff, b.length >> 8),
    b,
  ]);
const outpoint = (i: SigningInput) => concat([hex.decode(i.txid).reverse(), u32(i.vout)]);
const bytesToBig = (b: Uint8Array): bigint => BigInt(`0x${hex.encode(b)}`);
const bigToBytes = (n: bigint): Uint8Array => hex.decode(n.toString(16).padStart(64, "0"));

/**
 * Like Bitcoin Core, grinds for a low R (no extra entropy, then a counter)
 * so that a signature is at most 71 bytes and sizes match Core's.
 */
function ecdsa(hash: Uint8Array, key: Uint8Array): Uint8Array {
  for (let counter = -1; ; counter++) {
    const extraEntropy = counter < 0 ? false : u32le32(counter);
    const der = secp256k1.sign(hash, key, {
      prehash: false,
      lowS: true,
      format: "der",
      extraEntropy,
    });
    // DER: 0x30 len 0x02 rlen r…; a 33-byte r carries a 0x00 pad: R was high.
    if (der[3]! <= 32) return concat([der, Uint8Array.of(0x01)]);
  }
}

/** Core's extra entropy: the counter as 32 little-endian bytes. */
function u32le32(n: number): Uint8Array {
  const out = new Uint8Array(32);
  new DataView(out.buffer).setUint32(0, n, true);
  return out;
}

/** BIP 86 key-path tweak of the internal private key. */
function tweakedKey(privateKey: Uint8Array): Uint8Array {
  const pub = secp256k1.getPublicKey(privateKey, true);
  let d = bytesToBig(privateKey);
  if (pub[0] === 0x03) d = N - d;
  const t = bytesToBig(schnorr.utils.taggedHash("TapTweak", pub.slice(1)));
  return bigToBytes((d + t) % N);
}

export function signTransaction(tx: UnsignedTx): string {
  const outputsBytes = tx.outputs.map((o) =>
    concat([u64(o.value), varBytes(hex.decode(o.script))]),
  );
  const prevouts = concat(tx.inputs.map(outpoint));
  const sequences = concat(tx.inputs.map((i) => u32(i.sequence)));
  const outs = concat(outputsBytes);
  const bip143 = {
    prevouts: sha256d(prevouts),
    sequences: sha256d(sequences),
    outputs: sha256d(outs),
  };
  const bip341 = {
    prevouts: sha256(prevouts),
    amounts: sha256(concat(tx.inputs.map((i) => u64(i.value)))),
    scripts: sha256(concat(tx.inputs.map((i) => varBytes(hex.decode(i.key.script))))),
    sequences: sha256(sequences),
    outputs: sha256(outs),
  };
  const scriptSigs: Uint8Array[] = [];
  const witnesses: Uint8Array[][] = [];
  tx.inputs.forEach((input, index) => {
    const k = input.key;
    const pubkey = hex.decode(k.pubkey);
    if (k.type === "bech32m") {
      const msg = concat([
        Uint8Array.of(0x00, 0x00),
        u32(VERSION),
        u32(tx.lockTime),
        bip341.prevouts,
        bip341.amounts,
        bip341.scripts,
        bip341.sequences,
        bip341.outputs,
        Uint8Array.of(0x00),
        u32(index),
      ]);
      const sighash = schnorr.utils.taggedHash("TapSighash", msg);
      scriptSigs.push(new Uint8Array());
      witnesses.push([schnorr.sign(sighash, tweakedKey(input.privateKey), new Uint8Array(32))]);
      return;
    }
    if (k.type === "legacy") {
      // Signed below, once every other input is known.
      scriptSigs.push(new Uint8Array());
      witnesses.push([]);
      return;
    }
    const keyHash = hex.decode(p2wpkhProgram(k));
    const scriptCode = concat([
      Uint8Array.of(0x19, 0x76, 0xa9, 0x14),
      keyHash,
      Uint8Array.of(0x88, 0xac),
    ]);
    const preimage = concat([
      u32(VERSION),
      bip143.prevouts,
      bip143.sequences,
      outpoint(input),
      scriptCode,
      u64(input.value),
      u32(input.sequence),
      bip143.outputs,
      u32(tx.lockTime),
      u32(1),
    ]);
    const sig = ecdsa(sha256d(preimage), input.privateKey);
    scriptSigs.push(
      k.type === "p2sh-segwit"
        ? concat([Uint8Array.of(0x16, 0x00, 0x14), keyHash])
        : new Uint8Array(),
    );
    witnesses.push([sig, pubkey]);
  });
  // Legacy inputs sign over the whole transaction with the other scriptSigs empty.
  tx.inputs.forEach((input, index) => {
    if (input.key.type !== "legacy") return;
    const copy = RawTx.encode({
      version: VERSION,
      segwitFlag: false,
      inputs: tx.inputs.map((i, j) => ({
        txid: hex.decode(i.txid),
        index: i.vout,
        finalScriptSig: j === index ? hex.decode(i.key.script) : new Uint8Array(),
        sequence: i.sequence,
      })),
      outputs: tx.outputs.map((o) => ({ amount: o.value, script: hex.decode(o.script) })),
      lockTime: tx.lockTime,
    });
    const sig = ecdsa(sha256d(concat([copy, u32(1)])), input.privateKey);
    scriptSigs[index] = concat([varBytes(sig), varBytes(hex.decode(input.key.pubkey))]);
  });
  const segwit = tx.inputs.some((i) => i.key.type !== "legacy");
  return hex.encode(
    RawTx.encode({
      version: VERSION,
      segwitFlag: segwit,
      inputs: tx.inputs.map((i, j) => ({
        txid: hex.decode(i.txid),
        index: i.vout,
        finalScriptSig: scriptSigs[j] as Uint8Array,
        sequence: i.sequence,
      })),
      outputs: tx.outputs.map((o) => ({ amount: o.value, script: hex.decode(o.script) })),
      witnesses: segwit ? witnesses : undefined,
      lockTime: tx.lockTime,
    }),
  );
}

/** The 20-byte key hash of a P2WPKH (or nested P2WPKH) key. */
function p2wpkhProgram(k: KeyRecord): string {
  if (k.type === "bech32") return k.script.slice(4);
  return hash160Hex(hex.decode(k.pubkey));
}

function hash160Hex(data: Uint8Array): string {
  return hex.encode(ripemd160(sha256(data)));
}
