/** Balances and receive tallies: getbalances, getbalance, getreceivedby*, listreceivedby*. */
import { decodeAddress } from "../address.js";
import { balances, received } from "../coins.js";
import { RPC, RpcError } from "../errors.js";
import { Amount } from "../json.js";
import { labelFromValue } from "./addresses.js";
import { lastProcessedBlock, type MethodTable, opt, req } from "./types.js";

export const balanceMethods: MethodTable = {
  getbalances: {
    params: [],
    run(ctx) {
      const b = balances(ctx.node.chain, ctx.wallet());
      return {
        mine: {
          trusted: new Amount(b.trusted),
          untrusted_pending: new Amount(b.untrustedPending),
          immature: new Amount(b.immature),
        },
        lastprocessedblock: lastProcessedBlock(ctx.node),
      };
    },
  },
  getbalance: {
    params: [
      opt("dummy", "string"),
      opt("minconf", "number"),
      opt("include_watchonly", "bool"),
      opt("avoid_reuse", "bool"),
    ],
    run(ctx, args) {
      const dummy = args.optStr(0);
      if (dummy !== undefined && dummy !== "*") {
        throw new RpcError(-32, 'dummy first argument must be excluded or set to "*".');
      }
      return new Amount(balances(ctx.node.chain, ctx.wallet(), args.num(1, 0)).trusted);
    },
  },
  getreceivedbyaddress: {
    params: [
      req("address", "string"),
      opt("minconf", "number"),
      opt("include_immature_coinbase", "bool"),
    ],
    run(ctx, args) {
      const w = ctx.wallet();
      const decoded = decodeAddress(args.str(0));
      if (!decoded.ok) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, "Invalid Bitcoin address");
      if (!w.byScript(decoded.script))
        throw new RpcError(RPC.WALLET_ERROR, "Address not found in wallet");
      return new Amount(
        received(ctx.node.chain, w, [decoded.script], args.num(1, 1), args.bool(2, false)).amount,
      );
    },
  },
  getreceivedbylabel: {
    params: [
      req("label", "string"),
      opt("minconf", "number"),
      opt("include_immature_coinbase", "bool"),
    ],
    run(ctx, args) {
      const w = ctx.wallet();
      const addresses = w.labels.get(labelFromValue(args.str(0)));
      if (!addresses || addresses.size === 0)
        throw new RpcError(RPC.WALLET_ERROR, "Label not found in wallet");
      const scripts = [...addresses].map((a) => w.byAddress(a)?.script ?? "");
      return new Amount(
        received(ctx.node.chain, w, scripts, args.num(1, 1), args.bool(2, false)).amount,
      );
    },
  },
  listreceivedbylabel: {
    params: [
      opt("minconf", "number"),
      opt("include_empty", "bool"),
      opt("include_watchonly", "bool"),
      opt("include_immature_coinbase", "bool"),
    ],
    run(ctx, args) {
      const w = ctx.wallet();
      const includeEmpty = args.bool(1, false);
      const out: Record<string, unknown>[] = [];
      for (const label of [...w.labels.keys()].sort()) {
        const addresses = w.labels.get(label) as ReadonlySet<string>;
        if (addresses.size === 0) continue;
        const scripts = [...addresses].map((a) => w.byAddress(a)?.script ?? "");
        const r = received(ctx.node.chain, w, scripts, args.num(0, 1), args.bool(3, false));
        if (r.confirmations === undefined && !includeEmpty) continue;
        out.push({ amount: new Amount(r.amount), confirmations: r.confirmations ?? 0, label });
      }
      return out;
    },
  },
  listreceivedbyaddress: {
    params: [
      opt("minconf", "number"),
      opt("include_empty", "bool"),
      opt("include_watchonly", "bool"),
      opt("address_filter", "string"),
      opt("include_immature_coinbase", "bool"),
    ],
    run(ctx, args) {
      const w = ctx.wallet();
      const includeEmpty = args.bool(1, false);
      const filter = args.optStr(3);
      const out: Record<string, unknown>[] = [];
      for (const key of w.keys) {
        if (key.label === undefined || (filter !== undefined && key.address !== filter)) continue;
        const r = received(ctx.node.chain, w, [key.script], args.num(0, 1), args.bool(4, false));
        if (r.confirmations === undefined && !includeEmpty) continue;
        out.push({
          address: key.address,
          amount: new Amount(r.amount),
          confirmations: r.confirmations ?? 0,
          label: key.label,
          txids: r.txids,
        });
      }
      return out;
    },
  },
};
