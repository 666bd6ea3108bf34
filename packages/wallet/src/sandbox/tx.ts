/** Transactions as the sandbox's chain stores them, parsed from real serialized bytes. */
import { hex } from "@scure/base";
import { RawTx, Script } from "@scure/btc-signer";
import { RawOldTx } from "@scure/btc-signer/script.js";
import { sha256d, toDisplayHex } from "./hash.js";

export interface TxOut {
  readonly value: bigint;
  readonly script: string;
}

export interface Outpoint {
  readonly txid: string;
  readonly vout: number;
}

export interface ChainTx {
  readonly txid: string;
  readonly wtxid: string;
  readonly hex: string;
  readonly size: number;
  readonly strippedSize: number;
  readonly vsize: number;
  readonly weight: number;
  readonly inputs: readonly Outpoint[];
  readonly outputs: readonly TxOut[];
  readonly coinbase: boolean;
  /** BIP 125 signalling: an input with nSequence below 0xfffffffe. */
  readonly replaceable: boolean;
  readonly lockTime: number;
  /** Every input's nSequence is 0xffffffff: the lock time is not enforced. */
  readonly lockTimeOff: boolean;
  /** Unix time the sandbox first saw it. */
  readonly time: number;
}

export const outpointKey = (txid: string, vout: number): string => `${txid}:${vout}`;

const ZERO_TXID = "0".repeat(64);

type Raw = ReturnType<typeof RawTx.decode>;

function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

const isCoinbase = (raw: Raw): boolean =>
  raw.inputs.length === 1 &&
  hex.encode(raw.inputs[0]?.txid ?? new Uint8Array()) === ZERO_TXID &&
  raw.inputs[0]?.index === 0xffffffff;

/** Core's CheckTxScriptsSanity, through scure's script reader (where 0xff reads as INVALID). */
function scriptsSane(raw: Raw): boolean {
  const scripts = [
    ...(isCoinbase(raw) ? [] : raw.inputs.map((i) => i.finalScriptSig)),
    ...raw.outputs.map((o) => o.script),
  ];
  return scripts.every((script) => {
    const ops = script.length <= 10_000 ? attempt(() => Script.decode(script)) : undefined;
    return ops !== undefined && !ops.includes("INVALID");
  });
}

/**
 * Core's DecodeHexTx: the bytes read with and without witness; when both
 * readings take every byte, the witness one wins unless only the plain one
 * has sane scripts.
 */
export function decodeRaw(bytes: Uint8Array): Raw {
  const witness = attempt(() => RawTx.decode(bytes));
  if (witness && scriptsSane(witness)) return witness;
  const plain = attempt(() => RawOldTx.decode(bytes));
  if (plain && scriptsSane(plain)) return { ...plain, segwitFlag: false };
  const either = witness ?? (plain && { ...plain, segwitFlag: false });
  if (!either) throw new TypeError("not a serialized transaction");
  return either;
}

export function parseTx(txHex: string, time: number): ChainTx {
  const bytes = hex.decode(txHex);
  const raw = decodeRaw(bytes);
  const stripped = raw.segwitFlag
    ? RawTx.encode({ ...raw, segwitFlag: false, witnesses: undefined })
    : bytes;
  const weight = stripped.length * 3 + bytes.length;
  const coinbase = isCoinbase(raw);
  return {
    txid: toDisplayHex(sha256d(stripped)),
    wtxid: coinbase ? ZERO_TXID : toDisplayHex(sha256d(bytes)),
    hex: txHex,
    size: bytes.length,
    strippedSize: stripped.length,
    vsize: Math.ceil(weight / 4),
    weight,
    inputs: coinbase ? [] : raw.inputs.map((i) => ({ txid: hex.encode(i.txid), vout: i.index })),
    outputs: raw.outputs.map((o) => ({ value: o.amount, script: hex.encode(o.script) })),
    coinbase,
    replaceable: !coinbase && raw.inputs.some((i) => i.sequence < 0xfffffffe),
    lockTime: raw.lockTime,
    lockTimeOff: raw.inputs.every((i) => i.sequence === 0xffffffff),
    time,
  };
}

/** Core's IsFinalTx: may `tx` go into a block at `height`, mined at `time` (Unix seconds)? */
export function isFinalAt(tx: ChainTx, height: number, time: number): boolean {
  if (tx.lockTime === 0 || tx.lockTimeOff) return true;
  return tx.lockTime < (tx.lockTime < 500_000_000 ? height : time);
}

/** The wtxid Core reports (a coinbase's real one, not the zero used in the commitment). */
export function reportedWtxid(tx: ChainTx): string {
  return tx.coinbase ? toDisplayHex(sha256d(hex.decode(tx.hex))) : tx.wtxid;
}
