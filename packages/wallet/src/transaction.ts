/**
 * Reading a serialized transaction without a node: its inputs and outputs,
 * from the plain serialization or the witness one. The two can overlap: a
 * draft with no inputs has `00 01` after its version, which is also the
 * segwit marker, and a witness transaction can happen to read as a plain one
 * with no inputs. Core's DecodeHexTx reads both ways and, when both consume
 * every byte, keeps the witness reading unless only the plain one has sane
 * scripts; so do we, or the same bytes would mean two transactions.
 */
import { hex } from "@scure/base";
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
  if (!/^([0-9a-fA-F]{2})+$/.test(txHex)) return undefined;
  const bytes = hex.decode(txHex);
  const plain = readPlain(bytes);
  const witness = readWitness(bytes);
  if (plain && witness) return (sane(plain) && !sane(witness) ? plain : witness).tx;
  return (plain ?? witness)?.tx;
}

/** The outpoints a transaction spends: which wallet coins it holds. Throws on a malformed one. */
export function inputsOf(txHex: string): Outpoint[] {
  const tx = readTransaction(txHex);
  if (!tx) throw new TypeError("not a serialized transaction");
  return tx.inputs.map(({ txid, vout }) => ({ txid, vout }));
}

/** A reading of the bytes, with the input scripts that `sane` checks. */
interface Reading {
  readonly tx: RawTransaction;
  readonly scriptSigs: readonly Uint8Array[];
}

const readPlain = (bytes: Uint8Array) => read(bytes, false);
const readWitness = (bytes: Uint8Array) => read(bytes, true);

/**
 * One reading of the bytes: plain, or with the segwit marker and flag
 * (BIP 144: `00 01` after the version, one witness stack per input after
 * the outputs, and not all of them empty). Undefined unless it takes every byte.
 */
function read(bytes: Uint8Array, witness: boolean): Reading | undefined {
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
    if (witness && (take(1)[0] !== 0 || take(1)[0] !== 1)) return undefined;
    const scriptSigs: Uint8Array[] = [];
    const inputs = Array.from({ length: varInt() }, () => {
      const txid = hex.encode(take(32).slice().reverse());
      const vout = u32();
      scriptSigs.push(take(varInt()));
      return { txid, vout, sequence: u32() };
    });
    const outputs = Array.from({ length: varInt() }, () => {
      need(8);
      const value = view.getBigUint64(at, true);
      at += 8;
      return { value, script: hex.encode(take(varInt())) };
    });
    if (witness) {
      let items = 0;
      for (const _ of inputs) {
        const stack = varInt();
        items += stack;
        for (let i = 0; i < stack; i++) take(varInt());
      }
      // Core: "Superfluous witness record".
      if (items === 0) return undefined;
    }
    const lockTime = u32();
    if (at !== bytes.length) return undefined;
    return { tx: { version, inputs, outputs, lockTime }, scriptSigs };
  } catch {
    return undefined;
  }
}

const MAX_SCRIPT_SIZE = 10_000;
/** Core's highest opcode, OP_CHECKSIGADD; anything above it is not an operation. */
const MAX_OPCODE = 0xba;
const NULL_TXID = "0".repeat(64);

/** Core's CheckTxScriptsSanity: every script parses into known operations and is not oversized. */
function sane({ tx, scriptSigs }: Reading): boolean {
  const coinbase =
    tx.inputs.length === 1 && tx.inputs[0]?.txid === NULL_TXID && tx.inputs[0].vout === 0xffffffff;
  const scripts = [...(coinbase ? [] : scriptSigs), ...tx.outputs.map((o) => hex.decode(o.script))];
  return scripts.every((s) => s.length <= MAX_SCRIPT_SIZE && validOps(s));
}

/** Core's CScript::HasValidOps: each push has its bytes, no opcode is unknown. */
function validOps(script: Uint8Array): boolean {
  const view = new DataView(script.buffer, script.byteOffset, script.byteLength);
  let at = 0;
  while (at < script.length) {
    const op = script[at++]!;
    if (op > MAX_OPCODE) return false;
    if (op > 0x4e) continue;
    const width = op < 0x4c ? 0 : op === 0x4c ? 1 : op === 0x4d ? 2 : 4;
    if (at + width > script.length) return false;
    const size =
      width === 0
        ? op
        : width === 1
          ? script[at]!
          : width === 2
            ? view.getUint16(at, true)
            : view.getUint32(at, true);
    at += width + size;
    if (at > script.length) return false;
  }
  return true;
}
