/** Mempool queries: getrawmempool, getmempoolentry, getmempoolinfo. */
import type { Chain } from "../chain.js";
import { RPC, RpcError } from "../errors.js";
import { Amount } from "../json.js";
import type { ChainTx } from "../tx.js";
import { type MethodTable, opt, parseHash, req } from "./types.js";

/** One entry as getrawmempool true / getmempoolentry show it (no ancestor packages: counts are 1). */
function entry(chain: Chain, t: ChainTx): Record<string, unknown> {
  const fee = new Amount(chain.fee(t));
  return {
    vsize: t.vsize,
    weight: t.weight,
    time: t.time,
    height: chain.height(),
    descendantcount: 1,
    descendantsize: t.vsize,
    ancestorcount: 1,
    ancestorsize: t.vsize,
    wtxid: t.wtxid,
    fees: { base: fee, modified: fee, ancestor: fee, descendant: fee },
    depends: t.inputs.filter((i) => chain.inMempool(i.txid)).map((i) => i.txid),
    spentby: t.outputs
      .map((_, v) => chain.spenderInMempool(t.txid, v))
      .filter((s) => s !== undefined),
    "bip125-replaceable": t.replaceable,
    unbroadcast: false,
  };
}

export const mempoolMethods: MethodTable = {
  getrawmempool: {
    params: [opt("verbose", "bool"), opt("mempool_sequence", "bool")],
    run({ node }, args) {
      const chain = node.chain;
      const ids = chain.mempoolTxids();
      if (!args.bool(0, false)) return ids;
      const out: Record<string, unknown> = {};
      for (const id of ids) out[id] = entry(chain, chain.tx(id) as ChainTx);
      return out;
    },
  },
  getmempoolentry: {
    params: [req("txid", "string")],
    run({ node }, args) {
      const txid = parseHash(args.str(0), "txid");
      if (!node.chain.inMempool(txid)) {
        throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, "Transaction not in mempool");
      }
      return entry(node.chain, node.chain.tx(txid) as ChainTx);
    },
  },
  getmempoolinfo: {
    params: [],
    run({ node }) {
      const chain = node.chain;
      const txs = chain.mempoolTxids().map((id) => chain.tx(id) as ChainTx);
      const relay = new Amount(1000n);
      return {
        loaded: true,
        size: txs.length,
        bytes: txs.reduce((s, t) => s + t.vsize, 0),
        usage: txs.reduce((s, t) => s + t.size * 4, 0),
        total_fee: new Amount(txs.reduce((s, t) => s + chain.fee(t), 0n)),
        maxmempool: 300_000_000,
        mempoolminfee: relay,
        minrelaytxfee: relay,
        incrementalrelayfee: relay,
        unbroadcastcount: 0,
        fullrbf: true,
      };
    },
  },
};
