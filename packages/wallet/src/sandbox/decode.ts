/** decoderawtransaction-style views of stored transactions (getblock 2, getrawtransaction true). */
import { hex } from "@scure/base";
import { scriptFacts, scriptToAddress } from "./address.js";
import { Amount } from "./json.js";
import { type ChainTx, decodeRaw, reportedWtxid } from "./tx.js";

function scriptType(script: string): string {
  if (/^76a914[0-9a-f]{40}88ac$/.test(script)) return "pubkeyhash";
  if (/^a914[0-9a-f]{40}87$/.test(script)) return "scripthash";
  if (/^0014[0-9a-f]{40}$/.test(script)) return "witness_v0_keyhash";
  if (/^0020[0-9a-f]{64}$/.test(script)) return "witness_v0_scripthash";
  if (/^5120[0-9a-f]{64}$/.test(script)) return "witness_v1_taproot";
  if (script.startsWith("6a")) return "nulldata";
  return scriptFacts(script).iswitness ? "witness_unknown" : "nonstandard";
}

export function decodeTx(tx: ChainTx, fee?: bigint): Record<string, unknown> {
  const raw = decodeRaw(hex.decode(tx.hex));
  return {
    txid: tx.txid,
    hash: reportedWtxid(tx),
    version: raw.version,
    size: tx.size,
    vsize: tx.vsize,
    weight: tx.weight,
    locktime: raw.lockTime,
    vin: raw.inputs.map((input, i) => {
      const witness = raw.witnesses?.[i]?.map((w) => hex.encode(w));
      const base = tx.coinbase
        ? { coinbase: hex.encode(input.finalScriptSig) }
        : {
            txid: hex.encode(input.txid),
            vout: input.index,
            scriptSig: { asm: "", hex: hex.encode(input.finalScriptSig) },
          };
      return {
        ...base,
        txinwitness: witness?.length ? witness : undefined,
        sequence: input.sequence,
      };
    }),
    vout: tx.outputs.map((o, n) => ({
      value: new Amount(o.value),
      n,
      scriptPubKey: {
        asm: "",
        desc: `raw(${o.script})`,
        hex: o.script,
        address: scriptToAddress(o.script),
        type: scriptType(o.script),
      },
    })),
    fee: fee === undefined ? undefined : new Amount(fee),
    hex: tx.hex,
  };
}
