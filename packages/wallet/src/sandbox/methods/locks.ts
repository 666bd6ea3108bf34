/** Core's coin locks: lockunspent and listlockunspent, in memory only. */
import { RPC, RpcError } from "../errors.js";
import { type JsonIn, JsonNumber } from "../json.js";
import { outpointKey } from "../tx.js";
import type { MethodTable } from "./types.js";
import { opt, req } from "./types.js";

export const lockMethods: MethodTable = {
  lockunspent: {
    params: [req("unlock", "bool"), opt("transactions", "array"), opt("persistent", "bool")],
    run(ctx, args) {
      const w = ctx.wallet();
      const unlock = args.bool(0, false);
      const list = args.raw(1) as JsonIn[] | undefined;
      if (list === undefined) {
        if (unlock) w.unlockAll();
        return true;
      }
      // Core checks every output before changing any lock.
      const keys = list.map((entry) => {
        const o = entry as Record<string, JsonIn>;
        if (typeof o.txid !== "string" || !/^[0-9a-fA-F]{64}$/.test(o.txid)) {
          throw new RpcError(RPC.INVALID_PARAMETER, "txid must be hexadecimal string");
        }
        const vout = o.vout instanceof JsonNumber ? Number(o.vout.text) : Number.NaN;
        if (!Number.isInteger(vout)) throw new RpcError(RPC.TYPE_ERROR, "vout must be a number");
        if (vout < 0)
          throw new RpcError(RPC.INVALID_PARAMETER, "Invalid parameter, vout cannot be negative");
        const txid = o.txid.toLowerCase();
        const tx = w.txs.has(txid) ? ctx.node.chain.tx(txid) : undefined;
        if (!tx)
          throw new RpcError(RPC.INVALID_PARAMETER, "Invalid parameter, unknown transaction");
        if (vout >= tx.outputs.length) {
          throw new RpcError(RPC.INVALID_PARAMETER, "Invalid parameter, vout index out of bounds");
        }
        // Core's IsSpent: the wallet's own view, which counts a spend dropped
        // from the mempool (not abandoned) that the chain no longer knows.
        const coin = w.coins.get(outpointKey(txid, vout));
        if (coin ? w.isSpent(coin) : !ctx.node.chain.isUnspent(txid, vout)) {
          throw new RpcError(RPC.INVALID_PARAMETER, "Invalid parameter, expected unspent output");
        }
        const key = outpointKey(txid, vout);
        const locked = w.lockedCoins.has(key);
        if (unlock && !locked) {
          throw new RpcError(RPC.INVALID_PARAMETER, "Invalid parameter, expected locked output");
        }
        if (!unlock && locked) {
          throw new RpcError(RPC.INVALID_PARAMETER, "Invalid parameter, output already locked");
        }
        return key;
      });
      for (const key of keys) (unlock ? w.unlockCoin : w.lockCoin)(key);
      return true;
    },
  },
  listlockunspent: {
    params: [],
    run(ctx) {
      return [...ctx.wallet().lockedCoins].map((key) => {
        const [txid, vout] = key.split(":");
        return { txid, vout: Number(vout) };
      });
    },
  },
};
