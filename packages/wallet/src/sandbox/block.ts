/** Regtest blocks: the genesis block, coinbases with witness commitments, header hashing. */
import { hex } from "@scure/base";
import { RawTx } from "@scure/btc-signer";
import { fromDisplayHex, merkleRoot, sha256d, toDisplayHex } from "./hash.js";
import type { ChainTx } from "./tx.js";

export interface Block {
  readonly hash: string;
  readonly height: number;
  readonly prev: string | null;
  readonly version: number;
  readonly merkleroot: string;
  readonly time: number;
  readonly bits: string;
  readonly nonce: number;
  readonly txids: readonly string[];
  readonly size: number;
  readonly strippedSize: number;
  readonly weight: number;
}

export const REGTEST_BITS = "207fffff";
export const REGTEST_TARGET = `7fffff${"0".repeat(58)}`;
export const COINBASE_MATURITY = 100;
const ZERO32 = new Uint8Array(32);

/** The regtest genesis coinbase ("The Times 03/Jan/2009 …"). */
export const GENESIS_COINBASE_HEX =
  "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000";
export const GENESIS_TIME = 1296688602;

export function headerBytes(h: {
  version: number;
  prev: string | null;
  merkleroot: string;
  time: number;
  bits: string;
  nonce: number;
}): Uint8Array {
  const out = new Uint8Array(80);
  const view = new DataView(out.buffer);
  view.setInt32(0, h.version, true);
  out.set(h.prev ? fromDisplayHex(h.prev) : ZERO32, 4);
  out.set(fromDisplayHex(h.merkleroot), 36);
  view.setUint32(68, h.time, true);
  view.setUint32(72, Number.parseInt(h.bits, 16), true);
  view.setUint32(76, h.nonce >>> 0, true);
  return out;
}

/** Finds a nonce meeting the regtest target (about one try in two). */
export function mineHeader(
  h: Omit<Block, "hash" | "nonce" | "height" | "txids" | "size" | "strippedSize" | "weight">,
): {
  hash: string;
  nonce: number;
} {
  for (let nonce = 0; ; nonce++) {
    const hash = toDisplayHex(sha256d(headerBytes({ ...h, nonce })));
    if (hash <= REGTEST_TARGET) return { hash, nonce };
  }
}

export function blockSubsidy(height: number): bigint {
  const halvings = Math.floor(height / 150);
  return halvings >= 64 ? 0n : (50n * 100_000_000n) >> BigInt(halvings);
}

/** BIP 34 height push followed by OP_0, as Core's generatetoaddress writes it. */
function heightScript(height: number): Uint8Array {
  if (height >= 1 && height <= 16) return Uint8Array.of(0x50 + height, 0x00);
  const bytes: number[] = [];
  let n = height;
  while (n > 0) {
    bytes.push(n & 0xff);
    n = Math.floor(n / 256);
  }
  if ((bytes[bytes.length - 1] ?? 0) & 0x80) bytes.push(0);
  return Uint8Array.of(bytes.length, ...bytes, 0x00);
}

/** A segwit coinbase paying `value` to `script`, committing to the block's wtxids. */
export function buildCoinbase(
  height: number,
  script: string,
  value: bigint,
  wtxids: readonly string[],
): string {
  const witnessRoot = merkleRoot(["0".repeat(64), ...wtxids]);
  const commitment = new Uint8Array(64);
  commitment.set(fromDisplayHex(witnessRoot), 0);
  const commitScript = hex.decode(`6a24aa21a9ed${hex.encode(sha256d(commitment))}`);
  return hex.encode(
    RawTx.encode({
      version: 2,
      segwitFlag: true,
      inputs: [
        {
          txid: ZERO32,
          index: 0xffffffff,
          finalScriptSig: heightScript(height),
          sequence: 0xffffffff,
        },
      ],
      outputs: [
        { amount: value, script: hex.decode(script) },
        { amount: 0n, script: commitScript },
      ],
      witnesses: [[ZERO32]],
      lockTime: 0,
    }),
  );
}

function varIntSize(n: number): number {
  return n < 253 ? 1 : n <= 0xffff ? 3 : 5;
}

export function blockSizes(txs: readonly ChainTx[]): {
  size: number;
  strippedSize: number;
  weight: number;
} {
  const base = 80 + varIntSize(txs.length);
  const size = base + txs.reduce((s, t) => s + t.size, 0);
  const strippedSize = base + txs.reduce((s, t) => s + t.strippedSize, 0);
  return { size, strippedSize, weight: strippedSize * 3 + size };
}

export function blockHex(block: Block, txs: readonly ChainTx[]): string {
  const count = txs.length;
  const varint =
    count < 253
      ? count.toString(16).padStart(2, "0")
      : `fd${hex.encode(Uint8Array.of(count & 0xff, count >> 8))}`;
  return hex.encode(headerBytes(block)) + varint + txs.map((t) => t.hex).join("");
}
