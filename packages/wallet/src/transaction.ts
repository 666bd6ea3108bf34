/**
 * Reading a serialized transaction without a node: its inputs and outputs,
 * from the plain serialization or the witness one. A transaction with no
 * inputs starts `00` after the version, which a witness-aware reader takes
 * for the segwit marker; Core tries the plain form first for that reason
 * (DecodeHexTx), and so do we.
 */
import { hex } from "@scure/base";
import { RawTx } from "@scure/btc-signer";
import type { Outpoint } from "./node/types.js";

export interface DecodedInput extends Outpoint {
  readonly sequence: number;
}

export interface RawTransaction {
  readonly version: number;
  readonly inputs: readonly DecodedInput[];
  readonly outputs: readonly { script: string; value: bigint }[];
  readonly lockTime: number;
}

/** The transaction in `txHex`, or undefined when it is not one. */
export function readTransaction(txHex: string): RawTransaction | undefined {
  const bytes = /^([0-9a-fA-F]{2})+$/.test(txHex) ? hex.decode(txHex) : undefined;
  return bytes && (readPlain(bytes) ?? readWitness(bytes));
}

/** The outpoints a transaction spends: which wallet coins it holds. Throws on a malformed one. */
export function inputsOf(txHex: string): Outpoint[] {
  const tx = readTransaction(txHex);
  if (!tx) throw new TypeError("not a serialized transaction");
  return tx.inputs.map(({ txid, vout }) => ({ txid, vout }));
}

function readWitness(bytes: Uint8Array): RawTransaction | undefined {
  try {
    const raw = RawTx.decode(bytes);
    return {
      version: raw.version,
      inputs: raw.inputs.map((i) => ({
        txid: hex.encode(i.txid),
        vout: i.index,
        sequence: i.sequence,
      })),
      outputs: raw.outputs.map((o) => ({ value: o.amount, script: hex.encode(o.script) })),
      lockTime: raw.lockTime,
    };
  } catch {
    return undefined;
  }
}

function readPlain(bytes: Uint8Array): RawTransaction | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new RangeError("short");
  };
  const u32 = () => {
    need(4);
    at += 4;
    return view.getUint32(at - 4, true);
  };
  const varInt = (): number => {
    need(1);
    const first = bytes[at++]!;
    if (first < 0xfd) return first;
    const size = first === 0xfd ? 2 : first === 0xfe ? 4 : 8;
    need(size);
    at += size;
    const n = size === 2 ? view.getUint16(at - 2, true) : view.getUint32(at - size, true);
    if (size === 8 && view.getUint32(at - 4, true) !== 0) throw new RangeError("huge");
    return n;
  };
  const take = (n: number) => {
    need(n);
    at += n;
    return bytes.subarray(at - n, at);
  };
  try {
    const version = u32();
    const inputs = Array.from({ length: varInt() }, () => {
      const txid = hex.encode(take(32).slice().reverse());
      const vout = u32();
      take(varInt());
      return { txid, vout, sequence: u32() };
    });
    const outputs = Array.from({ length: varInt() }, () => {
      need(8);
      const value = view.getBigUint64(at, true);
      at += 8;
      return { value, script: hex.encode(take(varInt())) };
    });
    const lockTime = u32();
    return at === bytes.length ? { version, inputs, outputs, lockTime } : undefined;
  } catch {
    return undefined;
  }
}
