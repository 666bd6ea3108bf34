/** Typed views of the raw-transaction RPC results (fund, sign, decode). */
import { malformed, readHash, readObject } from "./reply.js";
import type { DecodedTransaction, FundedTransaction, SignedTransaction, TxOut } from "./types.js";

const HEX = /^([0-9a-f]{2})+$/i;

function txHex(value: string, where: string): string {
  if (!HEX.test(value)) throw malformed(where, "is not hex");
  return value;
}

export function parseFunded(result: unknown): FundedTransaction {
  const r = readObject(result, "fundrawtransaction");
  const fee = r.sats("fee");
  if (fee < 0n) throw malformed("fundrawtransaction.fee", `is negative (${fee})`);
  return {
    hex: txHex(r.str("hex"), "fundrawtransaction.hex"),
    fee,
    changePosition: r.int("changepos"),
  };
}

/** `gettxout` answers null for an output spent, or never made. */
export function parseTxOut(result: unknown): TxOut | null {
  if (result === null) return null;
  const r = readObject(result, "gettxout");
  return { value: r.sats("value"), confirmations: r.int("confirmations") };
}

export function parseSigned(result: unknown): SignedTransaction {
  const r = readObject(result, "signrawtransactionwithwallet");
  const errors = r.raw.errors === undefined ? [] : r.list("errors");
  return {
    hex: txHex(r.str("hex"), "signrawtransactionwithwallet.hex"),
    complete: r.bool("complete"),
    errors: errors.map(
      (e) => `${e.optStr("txid") ?? "?"}:${e.optInt("vout") ?? "?"}: ${e.str("error")}`,
    ),
  };
}

export function parseDecoded(result: unknown): DecodedTransaction {
  const r = readObject(result, "decoderawtransaction");
  return {
    txid: readHash(r.raw.txid, "decoderawtransaction.txid"),
    vsize: r.int("vsize"),
    inputs: r
      .list("vin")
      .filter((i) => i.raw.coinbase === undefined)
      .map((i, n) => ({
        txid: readHash(i.raw.txid, `decoderawtransaction.vin[${n}].txid`),
        vout: i.int("vout"),
      })),
    outputs: r.list("vout").map((o) => {
      const address = o.obj("scriptPubKey").optStr("address");
      return { n: o.int("n"), amount: o.sats("value"), ...(address ? { address } : {}) };
    }),
  };
}
