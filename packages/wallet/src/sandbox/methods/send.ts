/** Payments: sendtoaddress and sendmany, with Core's argument checks in Core's order. */
import { decodeAddress } from "../address.js";
import { RPC, RpcError } from "../errors.js";
import type { JsonIn } from "../json.js";
import type { SandboxNode } from "../node.js";
import type { Args } from "../params.js";
import { amountFromValue, feeRatePerKvBFromValue } from "../rpc-amount.js";
import { createPayment, type Recipient } from "../send.js";
import type { Wallet } from "../wallet.js";
import { checkEstimateMode } from "./control.js";
import { type MethodContext, type MethodTable, opt, req } from "./types.js";

const MIN_RELAY_PER_KVB = 1000n;

/** Core's SetFeeEstimateMode: an explicit sat/vB rate, else the fallback fee (regtest has no estimates). */
function feeRate(
  node: SandboxNode,
  args: Args,
  at: { confTarget: number; mode: number; rate: number },
) {
  const explicit = args.raw(at.rate);
  const mode = args.optStr(at.mode);
  if (explicit !== undefined) {
    if (args.has(at.confTarget)) {
      throw new RpcError(
        RPC.INVALID_PARAMETER,
        "Cannot specify both conf_target and fee_rate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.",
      );
    }
    if (mode !== undefined && mode !== "unset") {
      throw new RpcError(RPC.INVALID_PARAMETER, "Cannot specify both estimate_mode and fee_rate");
    }
    return { rate: feeRatePerKvBFromValue(explicit), reason: "PayTxFee set" };
  }
  checkEstimateMode(mode);
  const target = args.optNum(at.confTarget);
  if (target !== undefined && !(target >= 1 && target <= 1008)) {
    throw new RpcError(RPC.INVALID_PARAMETER, "Invalid conf_target, must be between 1 and 1008");
  }
  return { rate: node.fallbackFeeRate, reason: "Fallback fee" };
}

export function ensureUnlocked(w: Wallet): void {
  if (w.locked) {
    throw new RpcError(
      RPC.WALLET_UNLOCK_NEEDED,
      "Error: Please enter the wallet passphrase with walletpassphrase first.",
    );
  }
}

/** Core's ParseOutputs + CreateRecipients. */
export function recipients(
  amounts: [string, JsonIn][],
  subtract: (address: string) => boolean,
): Recipient[] {
  const seen = new Set<string>();
  return amounts.map(([address, value]) => {
    const decoded = decodeAddress(address);
    if (!decoded.ok)
      throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, `Invalid Bitcoin address: ${address}`);
    if (seen.has(address)) {
      throw new RpcError(
        RPC.INVALID_PARAMETER,
        `Invalid parameter, duplicated address: ${address}`,
      );
    }
    seen.add(address);
    return {
      script: decoded.script,
      value: amountFromValue(value),
      subtractFee: subtract(address),
    };
  });
}

function pay(
  ctx: MethodContext,
  w: Wallet,
  to: Recipient[],
  fee: { rate: bigint; reason: string },
  opts: {
    replaceable: boolean;
    comment?: string | undefined;
    to?: string | undefined;
    verbose: boolean;
  },
): unknown {
  if (fee.rate < MIN_RELAY_PER_KVB) {
    const show = (r: bigint) => `${r / 1000n}.${(r % 1000n).toString().padStart(3, "0")} sat/vB`;
    throw new RpcError(
      RPC.WALLET_INSUFFICIENT_FUNDS,
      `Fee rate (${show(fee.rate)}) is lower than the minimum fee rate setting (${show(MIN_RELAY_PER_KVB)})`,
    );
  }
  const { node } = ctx;
  const tx = createPayment(node.chain, w, {
    recipients: to,
    feeRatePerKvB: fee.rate,
    replaceable: opts.replaceable,
    time: node.now(),
  });
  node.chain.acceptToMempool(tx);
  w.setComment(tx.txid, opts.comment, opts.to);
  node.changed();
  return opts.verbose ? { txid: tx.txid, fee_reason: fee.reason } : tx.txid;
}

export const sendMethods: MethodTable = {
  sendtoaddress: {
    params: [
      req("address", "string"),
      req("amount", "amount"),
      opt("comment", "string"),
      opt("comment_to", "string"),
      opt("subtractfeefromamount", "bool"),
      opt("replaceable", "bool"),
      opt("conf_target", "number"),
      opt("estimate_mode", "string"),
      opt("avoid_reuse", "bool"),
      opt("fee_rate", "amount"),
      opt("verbose", "bool"),
    ],
    run(ctx, args) {
      const w = ctx.wallet();
      const fee = feeRate(ctx.node, args, { confTarget: 6, mode: 7, rate: 9 });
      ensureUnlocked(w);
      const subtract = args.bool(4, false);
      const to = recipients([[args.str(0), args.raw(1) ?? null]], () => subtract);
      return pay(ctx, w, to, fee, {
        replaceable: args.bool(5, true),
        comment: args.optStr(2),
        to: args.optStr(3),
        verbose: args.bool(10, false),
      });
    },
  },
  sendmany: {
    params: [
      opt("dummy", "string"),
      req("amounts", "object"),
      opt("minconf", "number"),
      opt("comment", "string"),
      opt("subtractfeefrom", "array"),
      opt("replaceable", "bool"),
      opt("conf_target", "number"),
      opt("estimate_mode", "string"),
      opt("fee_rate", "amount"),
      opt("verbose", "bool"),
    ],
    run(ctx, args) {
      const w = ctx.wallet();
      const dummy = args.optStr(0);
      if (dummy !== undefined && dummy !== "") {
        throw new RpcError(RPC.INVALID_PARAMETER, 'Dummy value must be set to ""');
      }
      const amounts = args.raw(1) as Record<string, JsonIn>;
      const fee = feeRate(ctx.node, args, { confTarget: 6, mode: 7, rate: 8 });
      const subtractRaw = args.raw(4);
      const subtract = new Set(
        Array.isArray(subtractRaw) ? subtractRaw.filter((a) => typeof a === "string") : [],
      );
      const to = recipients(Object.entries(amounts), (a) => subtract.has(a));
      ensureUnlocked(w);
      return pay(ctx, w, to, fee, {
        replaceable: args.bool(5, true),
        comment: args.optStr(3),
        verbose: args.bool(9, false),
      });
    },
  },
};
