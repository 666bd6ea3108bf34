/**
 * Unsigned transactions as `createrawtransaction` writes them and
 * `fundrawtransaction` / `signrawtransactionwithwallet` read them: the
 * serialization without witness (read as Core's DecodeHexTx reads, tx.ts).
 */
import { hex } from "@scure/base";
import { RawTx } from "@scure/btc-signer";
import { RPC, RpcError } from "./errors.js";
import { decodeRaw } from "./tx.js";

/** A transaction as the wallet methods work on it; txids in display order. */
export interface Draft {
  readonly version: number;
  readonly inputs: readonly { txid: string; vout: number; sequence: number }[];
  readonly outputs: readonly { script: string; value: bigint }[];
  readonly lockTime: number;
}

export function encodeDraft(draft: Draft): string {
  return hex.encode(
    RawTx.encode({
      version: draft.version,
      segwitFlag: false,
      inputs: draft.inputs.map((i) => ({
        txid: hex.decode(i.txid),
        index: i.vout,
        finalScriptSig: new Uint8Array(),
        sequence: i.sequence,
      })),
      outputs: draft.outputs.map((o) => ({ amount: o.value, script: hex.decode(o.script) })),
      lockTime: draft.lockTime,
    }),
  );
}

/** Core's DecodeHexTx, with its error. */
export function decodeDraft(txHex: string): Draft {
  let raw: ReturnType<typeof decodeRaw>;
  try {
    if (!/^([0-9a-fA-F]{2})+$/.test(txHex)) throw new TypeError("not hex");
    raw = decodeRaw(hex.decode(txHex));
  } catch (cause) {
    throw new RpcError(RPC.DESERIALIZATION_ERROR, "TX decode failed", { cause });
  }
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
}
