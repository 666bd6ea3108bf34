/**
 * A payment built in steps over Core's raw-transaction RPCs: funded (its
 * fee known), signed, decoded (its txid known), then broadcast once — and
 * the coin locks that keep concurrent payments off each other's coins, and
 * whether a coin is still there to spend.
 */
import { btcFromSats } from "../amount.js";
import { feeRateOf, invalid, isHash, lockTimeOf, sats, text } from "./args.js";
import { sendFailure } from "./classify.js";
import { BitcoinNodeError } from "./errors.js";
import { parseDecoded, parseFunded, parseSigned, parseTxOut } from "./parse-raw.js";
import { parseTxid } from "./parse-wallet.js";
import { readHash, readList, readObject, readString } from "./reply.js";
import type { Outpoint, RawTransactionNode } from "./types.js";

type Call = (method: string, params?: readonly unknown[]) => Promise<unknown>;

function outpointOf(o: Outpoint): Outpoint {
  if (!isHash(o.txid) || !Number.isSafeInteger(o.vout) || o.vout < 0) {
    throw invalid(`"${o.txid}:${o.vout}" is not an outpoint`);
  }
  return { txid: o.txid, vout: o.vout };
}

export function rawTransactionMethods(call: Call): RawTransactionNode {
  return {
    async fundTransaction(request) {
      const outputs = request.outputs.map((o) => ({
        [text(o.address, "address")]: btcFromSats(sats(o.amount)),
      }));
      if (outputs.length === 0) throw invalid("a transaction needs at least one output");
      const inputs = (request.inputs ?? []).map(outpointOf);
      const draft = readString(
        await call(
          "createrawtransaction",
          request.lockTime === undefined
            ? [inputs, outputs]
            : [inputs, outputs, lockTimeOf(request.lockTime)],
        ),
        "createrawtransaction",
      );
      const options = {
        fee_rate: feeRateOf(request.feeRate),
        lockUnspents: request.lockUnspents ?? false,
        // fundrawtransaction adds coins to preset ones unless told not to.
        ...(request.inputs === undefined ? {} : { add_inputs: false }),
        ...(request.replaceable === undefined ? {} : { replaceable: request.replaceable }),
      };
      // iswitness false: a draft without inputs must not be read as a segwit marker.
      return parseFunded(await call("fundrawtransaction", [draft, options, false]));
    },
    async getTxOut(outpoint) {
      const { txid, vout } = outpointOf(outpoint);
      return parseTxOut(await call("gettxout", [txid, vout, true]));
    },
    async signRawTransactionWithWallet(hex) {
      return parseSigned(await call("signrawtransactionwithwallet", [text(hex, "hex")]));
    },
    async decodeRawTransaction(hex) {
      return parseDecoded(await call("decoderawtransaction", [text(hex, "hex")]));
    },
    async sendRawTransaction(hex, options = {}) {
      const { maxFeeRate } = options;
      if (maxFeeRate !== undefined && (typeof maxFeeRate !== "bigint" || maxFeeRate < 0n)) {
        throw invalid(`maxFeeRate must be a non-negative bigint sat/vB, got ${String(maxFeeRate)}`);
      }
      // Core's maxfeerate is BTC per kvB: sat/vB × 1000 sat per kvB.
      const params = [
        text(hex, "hex"),
        maxFeeRate === undefined ? null : btcFromSats(maxFeeRate * 1000n),
      ];
      const result = await call("sendrawtransaction", params);
      try {
        return parseTxid(result, "sendrawtransaction");
      } catch (error) {
        throw sendFailure(error, "sendrawtransaction");
      }
    },
    async lockUnspent(unlock, outpoints) {
      const list = outpoints?.map(outpointOf);
      const result = await call("lockunspent", list === undefined ? [unlock] : [unlock, list]);
      if (result !== true)
        throw new BitcoinNodeError("NODE_MALFORMED_REPLY", "lockunspent did not answer true");
    },
    async listLockUnspent() {
      return readList(await call("listlockunspent"), "listlockunspent").map((item, i) => {
        const r = readObject(item, `listlockunspent[${i}]`);
        return { txid: readHash(r.raw.txid, `listlockunspent[${i}].txid`), vout: r.int("vout") };
      });
    },
  };
}
