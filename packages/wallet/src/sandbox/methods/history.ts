/** Wallet history: listsinceblock, listtransactions, gettransaction, abandontransaction, removeprunedfunds, listunspent. */
import { type Block, COINBASE_MATURITY } from "../block.js";
import { redeemScript, spendableCoins } from "../coins.js";
import { decodeTx } from "../decode.js";
import { type Entry, listTransaction, txFields } from "../entries.js";
import { RPC, RpcError } from "../errors.js";
import { Amount } from "../json.js";
import type { ChainTx } from "../tx.js";
import { labelFromValue } from "./addresses.js";
import { lastProcessedBlock, type MethodTable, opt, parseHash, req } from "./types.js";

export const historyMethods: MethodTable = {
  listsinceblock: {
    params: [
      opt("blockhash", "string"),
      opt("target_confirmations", "number"),
      opt("include_watchonly", "bool"),
      opt("include_removed", "bool"),
      opt("include_change", "bool"),
      opt("label", "string"),
    ],
    run(ctx, args) {
      const w = ctx.wallet();
      const chain = ctx.node.chain;
      const tip = chain.tip();
      let since: Block | undefined;
      let forkHeight: number | undefined;
      const hash = args.optStr(0);
      if (hash !== undefined && hash !== "") {
        since = chain.block(parseHash(hash, "blockhash"));
        if (!since) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, "Block not found");
        let b: Block = since;
        while (!chain.isActive(b)) b = chain.block(b.prev as string) as Block;
        forkHeight = b.height;
      }
      const target = args.num(1, 1);
      if (target < 1) throw new RpcError(RPC.INVALID_PARAMETER, "Invalid parameter");
      const includeRemoved = args.bool(3, true);
      const includeChange = args.bool(4, false);
      const labelArg = args.optStr(5);
      const label = labelArg === undefined ? undefined : labelFromValue(labelArg);
      const depth = forkHeight === undefined ? -1 : tip.height + 1 - forkHeight;
      const opts = { minDepth: 0, long: true, label, includeChange };
      const transactions: Entry[] = [];
      for (const txid of w.txOrder) {
        if (depth !== -1 && chain.depth(txid) >= depth) continue;
        listTransaction(chain, w, chain.tx(txid) as ChainTx, opts, transactions);
      }
      const removed: Entry[] = [];
      if (includeRemoved && since && forkHeight !== undefined) {
        for (
          let b: Block = since;
          b.height > forkHeight;
          b = chain.block(b.prev as string) as Block
        ) {
          for (const txid of b.txids) {
            if (!w.txs.has(txid)) continue;
            listTransaction(
              chain,
              w,
              chain.tx(txid) as ChainTx,
              { ...opts, minDepth: -100_000_000 },
              removed,
            );
          }
        }
      }
      const last = chain.at(tip.height + 1 - Math.min(target, tip.height + 1)) as Block;
      return { transactions, removed: includeRemoved ? removed : undefined, lastblock: last.hash };
    },
  },
  listtransactions: {
    params: [
      opt("label", "string"),
      opt("count", "number"),
      opt("skip", "number"),
      opt("include_watchonly", "bool"),
    ],
    run(ctx, args) {
      const w = ctx.wallet();
      const chain = ctx.node.chain;
      const labelArg = args.str(0, "*");
      const label = labelArg === "*" ? undefined : labelFromValue(labelArg);
      const count = args.num(1, 10);
      const skip = args.num(2, 0);
      if (count < 0) throw new RpcError(RPC.INVALID_PARAMETER, "Negative count");
      if (skip < 0) throw new RpcError(RPC.INVALID_PARAMETER, "Negative from");
      // Newest transactions first, as Core walks them; each keeps its entries' order.
      const newestFirst: Entry[] = [];
      for (let i = w.txOrder.length - 1; i >= 0 && newestFirst.length < count + skip; i--) {
        const tx = chain.tx(w.txOrder[i] as string) as ChainTx;
        listTransaction(chain, w, tx, { minDepth: 0, long: true, label }, newestFirst);
      }
      const from = Math.min(skip, newestFirst.length);
      const n = Math.min(count, newestFirst.length - from);
      const end = newestFirst.length - from;
      return newestFirst.slice(end - n, end).reverse();
    },
  },
  gettransaction: {
    params: [req("txid", "string"), opt("include_watchonly", "bool"), opt("verbose", "bool")],
    run(ctx, args) {
      const w = ctx.wallet();
      const chain = ctx.node.chain;
      const txid = parseHash(args.str(0), "txid");
      const meta = w.txs.get(txid);
      const tx = chain.tx(txid);
      if (!meta || !tx) {
        throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, "Invalid or non-wallet transaction id");
      }
      const debit = w.debit(tx);
      const fromMe = debit > 0n;
      // Core values an immature (or orphaned) coinbase at 0.
      const immature = tx.coinbase && chain.depth(txid) < COINBASE_MATURITY + 1;
      let credit = 0n;
      if (!immature) {
        for (const o of tx.outputs) if (w.byScript(o.script)) credit += o.value;
      }
      const fee = fromMe ? tx.outputs.reduce((s, o) => s + o.value, 0n) - debit : 0n;
      const details: Entry[] = [];
      listTransaction(chain, w, tx, { minDepth: 0, long: false }, details);
      return {
        amount: new Amount(credit - debit - fee),
        fee: fromMe ? new Amount(fee) : undefined,
        ...txFields(chain, w, tx, meta),
        details,
        hex: tx.hex,
        decoded: args.bool(2, false) ? decodeTx(tx) : undefined,
        lastprocessedblock: lastProcessedBlock(ctx.node),
      };
    },
  },
  abandontransaction: {
    params: [req("txid", "string")],
    run(ctx, args) {
      const w = ctx.wallet();
      const txid = parseHash(args.str(0), "txid");
      if (!w.txs.has(txid)) {
        throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, "Invalid or non-wallet transaction id");
      }
      if (!w.abandon(txid)) {
        throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, "Transaction not eligible for abandonment");
      }
      return null;
    },
  },
  removeprunedfunds: {
    params: [req("txid", "string")],
    run(ctx, args) {
      const txid = parseHash(args.str(0), "txid");
      if (!ctx.wallet().forget(txid)) {
        throw new RpcError(RPC.WALLET_ERROR, `Transaction ${txid} does not belong to this wallet`);
      }
      return null;
    },
  },
  listunspent: {
    params: [
      opt("minconf", "number"),
      opt("maxconf", "number"),
      opt("addresses", "array"),
      opt("include_unsafe", "bool"),
      opt("query_options", "object"),
    ],
    run(ctx, args) {
      const w = ctx.wallet();
      const chain = ctx.node.chain;
      const minconf = args.num(0, 1);
      const maxconf = args.num(1, 9_999_999);
      const filter = args.raw(2);
      const only = Array.isArray(filter)
        ? new Set(filter.filter((a) => typeof a === "string"))
        : undefined;
      const includeUnsafe = args.bool(3, true);
      const out: Entry[] = [];
      for (const c of spendableCoins(chain, w, { includeUntrusted: includeUnsafe })) {
        const depth = chain.depth(c.txid);
        if (depth < minconf || depth > maxconf) continue;
        if (only && !only.has(c.key.address)) continue;
        const tx = chain.tx(c.txid) as ChainTx;
        out.push({
          txid: c.txid,
          vout: c.vout,
          address: c.key.address,
          label: c.key.label,
          scriptPubKey: c.key.script,
          amount: new Amount(c.value),
          confirmations: depth,
          redeemScript: c.key.type === "p2sh-segwit" ? redeemScript(c.key) : undefined,
          spendable: true,
          solvable: true,
          desc: w.keychain.desc(c.key),
          parent_descs: [w.keychain.parentDesc(c.key)],
          safe: depth > 0 || w.isTrusted(tx),
        });
      }
      return out;
    },
  },
};
