/** Chain queries and reorg control: getblock*, getchaintips, invalidateblock, reconsiderblock. */
import { hex } from "@scure/base";
import { type Block, blockHex, headerBytes, REGTEST_BITS, REGTEST_TARGET } from "../block.js";
import type { Chain } from "../chain.js";
import { decodeTx } from "../decode.js";
import { RPC, RpcError } from "../errors.js";
import type { ChainTx } from "../tx.js";
import { type MethodTable, opt, parseHash, req } from "./types.js";

/** Regtest's minimum difficulty, as Core prints it. */
const DIFFICULTY = 4.656542373906925e-10;
const chainwork = (height: number) => (2 * (height + 1)).toString(16).padStart(64, "0");

function headerJson(chain: Chain, b: Block): Record<string, unknown> {
  const next = chain.isActive(b) ? chain.at(b.height + 1) : undefined;
  return {
    hash: b.hash,
    confirmations: chain.isActive(b) ? chain.height() - b.height + 1 : -1,
    height: b.height,
    version: b.version,
    versionHex: (b.version >>> 0).toString(16).padStart(8, "0"),
    merkleroot: b.merkleroot,
    time: b.time,
    mediantime: chain.medianTime(b),
    nonce: b.nonce,
    bits: REGTEST_BITS,
    target: REGTEST_TARGET,
    difficulty: DIFFICULTY,
    chainwork: chainwork(b.height),
    nTx: b.txids.length,
    previousblockhash: b.prev ?? undefined,
    nextblockhash: next?.hash,
  };
}

function blockTxs(chain: Chain, b: Block): ChainTx[] {
  return b.txids.map((id) => chain.tx(id) as ChainTx);
}

export const blockchainMethods: MethodTable = {
  getblockcount: { params: [], run: ({ node }) => node.chain.height() },
  getbestblockhash: { params: [], run: ({ node }) => node.chain.tip().hash },
  getblockhash: {
    params: [req("height", "number")],
    run({ node }, args) {
      const height = args.num(0, -1);
      const b = Number.isInteger(height) ? node.chain.at(height) : undefined;
      if (!b) throw new RpcError(RPC.INVALID_PARAMETER, "Block height out of range");
      return b.hash;
    },
  },
  getblockheader: {
    params: [req("blockhash", "string"), opt("verbose", "bool")],
    run({ node }, args) {
      const b = node.chain.requireBlock(parseHash(args.str(0), "hash"));
      if (!args.bool(1, true)) return hex.encode(headerBytes(b));
      return headerJson(node.chain, b);
    },
  },
  getblock: {
    params: [req("blockhash", "string"), opt("verbosity", "any")],
    run({ node }, args) {
      const chain = node.chain;
      const b = chain.requireBlock(parseHash(args.str(0), "blockhash"));
      const v = args.raw(1);
      const verbosity = typeof v === "boolean" ? (v ? 1 : 0) : args.num(1, 1);
      const txs = blockTxs(chain, b);
      if (verbosity <= 0) return blockHex(b, txs);
      return {
        ...headerJson(chain, b),
        strippedsize: b.strippedSize,
        size: b.size,
        weight: b.weight,
        tx:
          verbosity === 1
            ? b.txids
            : txs.map((t) => decodeTx(t, t.coinbase ? undefined : chain.fee(t))),
      };
    },
  },
  getblockchaininfo: {
    params: [],
    run({ node }) {
      const chain = node.chain;
      const tip = chain.tip();
      let size = 0;
      for (let h = 0; h <= tip.height; h++) size += (chain.at(h)?.size ?? 0) + 8;
      return {
        chain: "regtest",
        blocks: tip.height,
        headers: tip.height,
        bestblockhash: tip.hash,
        bits: REGTEST_BITS,
        target: REGTEST_TARGET,
        difficulty: DIFFICULTY,
        time: tip.time,
        mediantime: chain.medianTime(tip),
        verificationprogress: tip.height === 0 ? 2.004024666705948e-6 : 1,
        initialblockdownload: tip.height === 0,
        chainwork: chainwork(tip.height),
        size_on_disk: size,
        pruned: false,
        warnings: [],
      };
    },
  },
  getrawtransaction: {
    params: [req("txid", "string"), opt("verbosity", "any"), opt("blockhash", "string")],
    run({ node }, args) {
      const chain = node.chain;
      const tx = chain.tx(parseHash(args.str(0), "parameter 1"));
      const loc = tx && chain.location(tx.txid);
      if (!tx || (!loc && !chain.inMempool(tx.txid))) {
        throw new RpcError(
          RPC.INVALID_ADDRESS_OR_KEY,
          "No such mempool or blockchain transaction. Use gettransaction for wallet transactions.",
        );
      }
      const v = args.raw(1);
      const verbose = typeof v === "boolean" ? v : args.num(1, 0) > 0;
      if (!verbose) return tx.hex;
      const extra = loc
        ? {
            blockhash: loc.block.hash,
            confirmations: chain.depth(tx.txid),
            time: loc.block.time,
            blocktime: loc.block.time,
          }
        : {};
      return { ...decodeTx(tx), fee: undefined, ...extra };
    },
  },
  getchaintips: {
    params: [],
    run({ node }) {
      const chain = node.chain;
      return chain.tips().map((b) => {
        let fork = b;
        while (!chain.isActive(fork)) fork = chain.block(fork.prev as string) as Block;
        const status = chain.isActive(b) ? "active" : chain.isValid(b) ? "valid-fork" : "invalid";
        return { height: b.height, hash: b.hash, branchlen: b.height - fork.height, status };
      });
    },
  },
  invalidateblock: {
    params: [req("blockhash", "string")],
    run({ node }, args) {
      node.chain.invalidate(parseHash(args.str(0), "blockhash"));
      node.changed();
      return null;
    },
  },
  reconsiderblock: {
    params: [req("blockhash", "string")],
    run({ node }, args) {
      node.chain.reconsider(parseHash(args.str(0), "blockhash"));
      node.changed();
      return null;
    },
  },
};
