/**
 * Building a payment in steps, as a wallet that checks the fee before it
 * broadcasts does: createrawtransaction, fundrawtransaction,
 * signrawtransactionwithwallet (then sendrawtransaction). Preset inputs
 * must be the wallet's own coins; the sandbox signs all inputs or none.
 */
import { decodeDraft, encodeDraft } from "../draft.js";
import { RPC, RpcError } from "../errors.js";
import { Amount, type JsonIn, JsonNumber } from "../json.js";
import { amountFromValue, feeRatePerKvBFromValue } from "../rpc-amount.js";
import { fundPayment } from "../send.js";
import { signTransaction } from "../sign.js";
import { outpointKey } from "../tx.js";
import { checkEstimateMode } from "./control.js";
import { ensureUnlocked, recipients } from "./send.js";
import { type MethodTable, opt, req } from "./types.js";

const MIN_RELAY_PER_KVB = 1000n;
const FUND_OPTIONS = new Set([
  "add_inputs",
  "include_unsafe",
  "changePosition",
  "change_position",
  "lockUnspents",
  "lock_unspents",
  "fee_rate",
  "feeRate",
  "replaceable",
  "conf_target",
  "estimate_mode",
  "subtractFeeFromOutputs",
  "subtract_fee_from_outputs",
]);

/** Core's ParseOutputs for createrawtransaction: address → amount objects, in order. */
function draftOutputs(outputs: JsonIn): { script: string; value: bigint }[] {
  const pairs = Array.isArray(outputs)
    ? outputs.flatMap((o) => Object.entries(o as Record<string, JsonIn>))
    : Object.entries(outputs as Record<string, JsonIn>);
  if (pairs.some(([address]) => address === "data")) {
    throw new RpcError(RPC.INVALID_PARAMETER, "sandbox: data outputs are not supported");
  }
  return recipients(pairs, () => false).map(({ script, value }) => ({ script, value }));
}

function fundOptions(raw: JsonIn | undefined): Record<string, JsonIn> {
  if (raw === undefined || typeof raw === "boolean") return {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw) || raw instanceof JsonNumber) {
    throw new RpcError(RPC.TYPE_ERROR, "options must be an object");
  }
  for (const key of Object.keys(raw)) {
    if (!FUND_OPTIONS.has(key)) throw new RpcError(RPC.TYPE_ERROR, `Unexpected key ${key}`);
  }
  return raw;
}

/** sat/kvB from `fee_rate` (sat/vB) or `feeRate` (BTC/kvB), else the fallback fee. */
function fundFeeRate(options: Record<string, JsonIn>, fallback: bigint): bigint {
  const perVb = options.fee_rate;
  const perKvb = options.feeRate;
  if (perVb !== undefined && perKvb !== undefined) {
    throw new RpcError(
      RPC.INVALID_PARAMETER,
      "Cannot specify both fee_rate (sat/vB) and feeRate (BTC/kvB)",
    );
  }
  if (perVb !== undefined) return feeRatePerKvBFromValue(perVb);
  if (perKvb !== undefined) return amountFromValue(perKvb);
  checkEstimateMode(typeof options.estimate_mode === "string" ? options.estimate_mode : undefined);
  return fallback;
}

export const fundMethods: MethodTable = {
  createrawtransaction: {
    params: [
      req("inputs", "array"),
      req("outputs", "any"),
      opt("locktime", "number"),
      opt("replaceable", "bool"),
    ],
    run(_ctx, args) {
      const replaceable = args.bool(3, true);
      const lockTime = args.num(2, 0);
      const inputs = (args.raw(0) as JsonIn[]).map((i) => {
        const o = i as Record<string, JsonIn>;
        const vout = o.vout instanceof JsonNumber ? Number(o.vout.text) : Number.NaN;
        if (typeof o.txid !== "string" || !/^[0-9a-fA-F]{64}$/.test(o.txid)) {
          throw new RpcError(RPC.INVALID_PARAMETER, "txid must be hexadecimal string");
        }
        if (!(vout >= 0))
          throw new RpcError(RPC.INVALID_PARAMETER, "Invalid parameter, missing vout key");
        const sequence = replaceable ? 0xfffffffd : lockTime ? 0xfffffffe : 0xffffffff;
        return { txid: o.txid.toLowerCase(), vout, sequence };
      });
      return encodeDraft({
        version: 2,
        inputs,
        outputs: draftOutputs(args.raw(1) ?? null),
        lockTime,
      });
    },
  },
  fundrawtransaction: {
    params: [req("hexstring", "string"), opt("options", "any"), opt("iswitness", "bool")],
    run(ctx, args) {
      const w = ctx.wallet();
      const draft = decodeDraft(args.str(0));
      const options = fundOptions(args.raw(1));
      // As Core: a preset coin the wallet knows is taken even if locked or
      // already spent; one it does not know is refused.
      const preset = draft.inputs.map((i) => {
        const coin = w.coins.get(outpointKey(i.txid, i.vout));
        if (!coin) throw new RpcError(RPC.WALLET_ERROR, "Unable to find UTXO for external input");
        return coin;
      });
      const rate = fundFeeRate(options, ctx.node.fallbackFeeRate);
      if (rate < MIN_RELAY_PER_KVB) {
        throw new RpcError(RPC.WALLET_ERROR, "Fee rate is lower than the minimum fee rate setting");
      }
      const subtract = options.subtractFeeFromOutputs ?? options.subtract_fee_from_outputs;
      const subtracted = new Set(
        Array.isArray(subtract) ? subtract.map((n) => Number((n as JsonNumber).text)) : [],
      );
      let funded: ReturnType<typeof fundPayment>;
      try {
        funded = fundPayment(ctx.node.chain, w, {
          recipients: draft.outputs.map((o, i) => ({ ...o, subtractFee: subtracted.has(i) })),
          feeRatePerKvB: rate,
          replaceable: options.replaceable !== false,
          time: ctx.node.now(),
          preset,
          addInputs: options.add_inputs !== false,
        });
      } catch (error) {
        // fundrawtransaction answers every wallet failure with -4, unlike sendtoaddress's -6.
        if (error instanceof RpcError && error.rpcCode === RPC.WALLET_INSUFFICIENT_FUNDS) {
          throw new RpcError(RPC.WALLET_ERROR, error.message);
        }
        throw error;
      }
      const sequence = options.replaceable === false ? 0xfffffffe : 0xfffffffd;
      if (options.lockUnspents === true || options.lock_unspents === true) {
        for (const c of funded.coins) w.lockCoin(outpointKey(c.txid, c.vout));
      }
      return {
        hex: encodeDraft({
          version: draft.version,
          // Preset inputs keep the sequence their draft gave them.
          inputs: funded.coins.map((c, i) => ({
            txid: c.txid,
            vout: c.vout,
            sequence: draft.inputs[i]?.sequence ?? sequence,
          })),
          outputs: funded.outputs,
          lockTime: draft.lockTime,
        }),
        fee: new Amount(funded.fee),
        changepos: funded.changePosition,
      };
    },
  },
  signrawtransactionwithwallet: {
    params: [req("hexstring", "string"), opt("prevtxs", "array"), opt("sighashtype", "string")],
    run(ctx, args) {
      const w = ctx.wallet();
      const txHex = args.str(0);
      const draft = decodeDraft(txHex);
      ensureUnlocked(w);
      const chain = ctx.node.chain;
      const missing = draft.inputs.filter((i) => {
        const key = outpointKey(i.txid, i.vout);
        // As Core's findCoins: a coin spent only by a mempool transaction can be signed again.
        return !w.coins.has(key) || !(chain.inUtxoSet(i.txid, i.vout) || chain.inMempool(i.txid));
      });
      if (missing.length > 0 || draft.inputs.length === 0) {
        return {
          hex: txHex,
          complete: false,
          errors: missing.map((i) => ({
            txid: i.txid,
            vout: i.vout,
            witness: [],
            scriptSig: "",
            sequence: i.sequence,
            error: "Input not found or already spent",
          })),
        };
      }
      const signed = signTransaction({
        inputs: draft.inputs.map((i) => {
          const coin = w.coins.get(outpointKey(i.txid, i.vout))!;
          return {
            ...i,
            value: coin.value,
            key: coin.key,
            privateKey: w.keychain.privateKey(coin.key),
          };
        }),
        outputs: draft.outputs,
        lockTime: draft.lockTime,
      });
      return { hex: signed, complete: true };
    },
  },
};
