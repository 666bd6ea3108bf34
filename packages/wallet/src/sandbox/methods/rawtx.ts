/** Raw transactions: sendrawtransaction, decoderawtransaction, gettxout. */
import { scriptToAddress } from "../address.js";
import type { Chain } from "../chain.js";
import { decodeTx } from "../decode.js";
import { RPC, RpcError } from "../errors.js";
import { Amount } from "../json.js";
import { type ChainTx, parseTx } from "../tx.js";
import { type MethodTable, opt, parseHash, req } from "./types.js";

/** sendrawtransaction's decode adds a hint to the message; decoderawtransaction reads drafts without inputs too. */
function decodeHex(txHex: string, now: number, forSending = true): ChainTx {
  const message = forSending
    ? "TX decode failed. Make sure the tx has at least one input."
    : "TX decode failed";
  try {
    if (!/^([0-9a-fA-F]{2})+$/.test(txHex)) throw new Error("not hex");
    const tx = parseTx(txHex.toLowerCase(), now);
    if (forSending && !tx.coinbase && tx.inputs.length === 0) throw new Error("no inputs");
    return tx;
  } catch (cause) {
    throw new RpcError(-22, message, { cause });
  }
}

/** Core's BroadcastTransaction max_tx_fee check, on inputs it can see. */
function checkMaxFee(chain: Chain, tx: ChainTx, perKvB: bigint): void {
  if (perKvB === 0n || chain.inMempool(tx.txid)) return;
  let inputs = 0n;
  for (const i of tx.inputs) {
    const prev = chain.tx(i.txid)?.outputs[i.vout];
    if (!prev) return; // Missing inputs: acceptance refuses it with its own reason.
    inputs += prev.value;
  }
  const fee = inputs - tx.outputs.reduce((s, o) => s + o.value, 0n);
  if (fee > (perKvB * BigInt(tx.vsize)) / 1000n) {
    throw new RpcError(
      RPC.VERIFY_ERROR,
      "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)",
    );
  }
}

export const rawTxMethods: MethodTable = {
  sendrawtransaction: {
    params: [
      req("hexstring", "string"),
      opt("maxfeerate", "amount"),
      opt("maxburnamount", "amount"),
    ],
    run({ node }, args) {
      const tx = decodeHex(args.str(0), node.now());
      // Core's default -maxfeerate guard: 0.10 BTC/kvB; 0 turns it off.
      checkMaxFee(node.chain, tx, args.has(1) ? args.amount(1) : 10_000_000n);
      node.chain.acceptToMempool(tx);
      node.changed();
      return tx.txid;
    },
  },
  decoderawtransaction: {
    params: [req("hexstring", "string"), opt("iswitness", "bool")],
    run({ node }, args) {
      return { ...decodeTx(decodeHex(args.str(0), node.now(), false)), hex: undefined };
    },
  },
  gettxout: {
    params: [req("txid", "string"), req("n", "number"), opt("include_mempool", "bool")],
    run({ node }, args) {
      const chain = node.chain;
      const txid = parseHash(args.str(0), "txid");
      const n = args.num(1, -1);
      const tx = chain.tx(txid);
      const out = tx?.outputs[n];
      if (!tx || !out) return null;
      const includeMempool = args.bool(2, true);
      const available = includeMempool ? chain.isUnspent(txid, n) : chain.inUtxoSet(txid, n);
      if (!available) return null;
      const decoded = decodeTx(tx).vout as { scriptPubKey: unknown }[];
      return {
        bestblock: chain.tip().hash,
        confirmations: chain.depth(txid),
        value: new Amount(out.value),
        scriptPubKey: decoded[n]?.scriptPubKey ?? {
          hex: out.script,
          address: scriptToAddress(out.script),
        },
        coinbase: tx.coinbase,
      };
    },
  },
};
