/**
 * Unsigned transactions as `createrawtransaction` writes them and
 * `fundrawtransaction` / `signrawtransactionwithwallet` read them: the
 * serialization without witness (read with `readTransaction`).
 */
import { hex } from "@scure/base";
import { RawTx } from "@scure/btc-signer";
import { type RawTransaction, readTransaction } from "../transaction.js";
import { RPC, RpcError } from "./errors.js";

export type Draft = RawTransaction;

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
  const draft = readTransaction(txHex);
  if (!draft) throw new RpcError(RPC.DESERIALIZATION_ERROR, "TX decode failed");
  return draft;
}
