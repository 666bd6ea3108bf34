/**
 * One regtest chain: blocks (active and stale), the transaction store, the
 * UTXO set, the mempool, mining and reorgs (invalidateblock / reconsiderblock).
 */
import {
  type Block,
  blockSizes,
  blockSubsidy,
  buildCoinbase,
  GENESIS_COINBASE_HEX,
  GENESIS_TIME,
  mineHeader,
  REGTEST_BITS,
} from "./block.js";
import { RPC, RpcError } from "./errors.js";
import { merkleRoot } from "./hash.js";
import { createMempool } from "./mempool.js";
import { type ChainTx, isFinalAt, outpointKey, parseTx } from "./tx.js";

const RPC_VERIFY_ERROR = -25;
const RPC_VERIFY_REJECTED = -26;
const RPC_VERIFY_ALREADY_IN_UTXO_SET = -27;

export interface TxLocation {
  readonly block: Block;
  readonly index: number;
}

export interface ChainDeps {
  /** Unix seconds. */
  readonly now: () => number;
  /** Called for every transaction entering the mempool or a connected block. */
  readonly onTx: (tx: ChainTx) => void;
}

export interface ChainSnapshot {
  blocks: (Block & { invalid?: boolean })[];
  txs: [hex: string, time: number][];
  mempool: string[];
  tip: string;
}

export type Chain = ReturnType<typeof createChain>;

export function createChain(deps: ChainDeps) {
  const blocks = new Map<string, Block>();
  const invalid = new Set<string>();
  const active: Block[] = [];
  const txs = new Map<string, ChainTx>();
  const locations = new Map<string, TxLocation>();
  const utxos = new Set<string>();
  const mempool = createMempool();
  /** Every transaction seen spending each outpoint: the conflicts Core reports. */
  const spenders = new Map<string, Set<string>>();

  function remember(tx: ChainTx): void {
    txs.set(tx.txid, tx);
    for (const i of tx.inputs) {
      const key = outpointKey(i.txid, i.vout);
      const set = spenders.get(key);
      if (set) set.add(tx.txid);
      else spenders.set(key, new Set([tx.txid]));
    }
  }

  /** Other transactions spending an input of `txid`. */
  function conflictsOf(txid: string): string[] {
    const tx = txs.get(txid);
    if (!tx) return [];
    const out = new Set<string>();
    for (const i of tx.inputs) {
      for (const s of spenders.get(outpointKey(i.txid, i.vout)) ?? []) if (s !== txid) out.add(s);
    }
    return [...out];
  }

  const genesisTx = parseTx(GENESIS_COINBASE_HEX, GENESIS_TIME);
  txs.set(genesisTx.txid, genesisTx);
  const genesis: Block = {
    hash: "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",
    height: 0,
    prev: null,
    version: 1,
    merkleroot: genesisTx.txid,
    time: GENESIS_TIME,
    bits: REGTEST_BITS,
    nonce: 2,
    txids: [genesisTx.txid],
    ...blockSizes([genesisTx]),
  };
  blocks.set(genesis.hash, genesis);
  active.push(genesis);
  locations.set(genesisTx.txid, { block: genesis, index: 0 });

  const tip = (): Block => active[active.length - 1] as Block;
  const getTx = (txid: string): ChainTx | undefined => txs.get(txid);

  function medianTime(block: Block): number {
    const times: number[] = [];
    let b: Block | undefined = block;
    for (let i = 0; i < 11 && b; i++) {
      times.push(b.time);
      b = b.prev ? blocks.get(b.prev) : undefined;
    }
    times.sort((x, y) => x - y);
    return times[Math.floor(times.length / 2)] as number;
  }

  function isActive(block: Block): boolean {
    return active[block.height]?.hash === block.hash;
  }

  function inputValue(tx: ChainTx): bigint {
    let sum = 0n;
    for (const i of tx.inputs) sum += txs.get(i.txid)?.outputs[i.vout]?.value ?? 0n;
    return sum;
  }

  function fee(tx: ChainTx): bigint {
    if (tx.coinbase) return 0n;
    return inputValue(tx) - tx.outputs.reduce((s, o) => s + o.value, 0n);
  }

  function isUnspent(txid: string, vout: number): boolean {
    const key = outpointKey(txid, vout);
    if (mempool.spender(txid, vout)) return false;
    if (utxos.has(key)) return true;
    const tx = mempool.get(txid);
    return tx !== undefined && vout < tx.outputs.length;
  }

  /** Checks inputs (not scripts: the sandbox trusts signatures) and accepts; a repeat is a no-op. */
  function acceptToMempool(tx: ChainTx): void {
    if (mempool.has(tx.txid)) return;
    if (locations.has(tx.txid)) {
      throw new RpcError(RPC_VERIFY_ALREADY_IN_UTXO_SET, "Transaction outputs already in utxo set");
    }
    if (tx.coinbase) throw new RpcError(RPC_VERIFY_REJECTED, "coinbase");
    if (!finalAtTip(tx)) throw new RpcError(RPC_VERIFY_REJECTED, "non-final");
    for (const i of tx.inputs) {
      if (!isUnspent(i.txid, i.vout)) {
        throw new RpcError(RPC_VERIFY_ERROR, "bad-txns-inputs-missingorspent");
      }
    }
    remember(tx);
    mempool.add(tx);
    deps.onTx(tx);
  }

  function connect(block: Block): void {
    block.txids.forEach((txid, index) => {
      const tx = txs.get(txid) as ChainTx;
      mempool.confirm(txid);
      for (const i of tx.inputs) {
        const key = outpointKey(i.txid, i.vout);
        const conflict = mempool.spender(i.txid, i.vout);
        if (conflict) mempool.remove(conflict);
        utxos.delete(key);
      }
      tx.outputs.forEach((_, vout) => {
        utxos.add(outpointKey(txid, vout));
      });
      locations.set(txid, { block, index });
      deps.onTx(tx);
    });
    active.push(block);
  }

  /** Disconnects the tip; returns its non-coinbase transactions. */
  function disconnectTip(): ChainTx[] {
    const block = active.pop() as Block;
    const back: ChainTx[] = [];
    for (let index = block.txids.length - 1; index >= 0; index--) {
      const txid = block.txids[index] as string;
      const tx = txs.get(txid) as ChainTx;
      tx.outputs.forEach((_, vout) => {
        utxos.delete(outpointKey(txid, vout));
      });
      for (const i of tx.inputs) utxos.add(outpointKey(i.txid, i.vout));
      locations.delete(txid);
      if (!tx.coinbase) back.unshift(tx);
    }
    return back;
  }

  /** Whether `tx` may go into the next block (Core's CheckFinalTxAtTip). */
  function finalAtTip(tx: ChainTx): boolean {
    return isFinalAt(tx, tip().height + 1, Math.floor(Date.now() / 1000));
  }

  /**
   * After blocks were disconnected: their transactions back in the mempool,
   * and out of it whatever is no longer final at the lower tip, with its
   * descendants (Core's removeForReorg). Core does not take such a
   * transaction back when the chain grows again: only a new broadcast does.
   */
  function resurrect(back: readonly ChainTx[]): void {
    for (const tx of back) {
      if (locations.has(tx.txid) || mempool.has(tx.txid)) continue;
      if (tx.inputs.every((i) => isUnspent(i.txid, i.vout))) mempool.add(tx);
    }
    for (const txid of mempool.txids()) {
      const tx = mempool.get(txid);
      if (tx && !finalAtTip(tx)) mempool.remove(txid);
    }
  }

  /** Mines the mempool, or exactly `chosen` (generateblock), which may conflict with it. */
  function mineOne(script: string, chosen?: readonly ChainTx[]): Block {
    const parent = tip();
    const height = parent.height + 1;
    if (chosen) checkSpendable(chosen);
    const included = chosen ?? mempool.parentsFirst();
    for (const tx of included) remember(tx);
    const fees = included.reduce((s, t) => s + fee(t), 0n);
    const coinbase = parseTx(
      buildCoinbase(
        height,
        script,
        blockSubsidy(height) + fees,
        included.map((t) => t.wtxid),
      ),
      deps.now(),
    );
    txs.set(coinbase.txid, coinbase);
    const all = [coinbase, ...included];
    const txids = all.map((t) => t.txid);
    const header = {
      prev: parent.hash,
      version: 0x20000000,
      merkleroot: merkleRoot(txids),
      time: Math.max(deps.now(), medianTime(parent) + 1),
      bits: REGTEST_BITS,
    };
    const { hash, nonce } = mineHeader(header);
    const block: Block = { ...header, hash, nonce, height, txids, ...blockSizes(all) };
    blocks.set(hash, block);
    connect(block);
    return block;
  }

  /** Core's TestBlockValidity, as far as inputs go: each spends the UTXO set or an earlier one. */
  function checkSpendable(chosen: readonly ChainTx[]): void {
    const created = new Set<string>();
    const spent = new Set<string>();
    for (const tx of chosen) {
      for (const i of tx.inputs) {
        const key = outpointKey(i.txid, i.vout);
        if ((!utxos.has(key) && !created.has(key)) || spent.has(key) || tx.coinbase) {
          throw new RpcError(
            RPC_VERIFY_ERROR,
            "TestBlockValidity failed: bad-txns-inputs-missingorspent",
          );
        }
        spent.add(key);
      }
      for (let vout = 0; vout < tx.outputs.length; vout++) created.add(outpointKey(tx.txid, vout));
    }
  }

  function isValid(block: Block): boolean {
    for (let b: Block | undefined = block; b; b = b.prev ? blocks.get(b.prev) : undefined) {
      if (invalid.has(b.hash)) return false;
      if (isActive(b)) return true;
    }
    return true;
  }

  /** Switches to the valid block with the most work (height); the current tip wins ties. */
  function activateBestChain(): void {
    let best = tip();
    for (const b of blocks.values()) if (b.height > best.height && isValid(b)) best = b;
    if (best.hash === tip().hash) return;
    const branch: Block[] = [];
    let b: Block = best;
    while (!isActive(b)) {
      branch.unshift(b);
      b = blocks.get(b.prev as string) as Block;
    }
    const back: ChainTx[] = [];
    while (tip().height > b.height) back.unshift(...disconnectTip());
    for (const nb of branch) connect(nb);
    resurrect(back);
  }

  function requireBlock(hash: string): Block {
    const block = blocks.get(hash);
    if (!block) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, "Block not found");
    return block;
  }

  return {
    tip,
    genesis,
    height: () => tip().height,
    at: (height: number): Block | undefined => active[height],
    block: (hash: string) => blocks.get(hash),
    requireBlock,
    isActive,
    /** Valid ancestry: no invalidated block below it. */
    isValid,
    /** Blocks without children, the active tip first (getchaintips). */
    tips(): Block[] {
      const parents = new Set<string>();
      for (const b of blocks.values()) if (b.prev) parents.add(b.prev);
      const tips = [...blocks.values()].filter((b) => !parents.has(b.hash) && b !== tip());
      return [tip(), ...tips.sort((a, b) => b.height - a.height)];
    },
    medianTime,
    tx: getTx,
    allTxs: () => txs.values(),
    fee,
    location: (txid: string) => locations.get(txid),
    /** Confirmations in the active chain (0 when unconfirmed). */
    depth(txid: string): number {
      const loc = locations.get(txid);
      return loc ? tip().height - loc.block.height + 1 : 0;
    },
    inMempool: (txid: string) => mempool.has(txid),
    mempoolTxids: mempool.txids,
    isUnspent,
    inUtxoSet: (txid: string, vout: number) => utxos.has(outpointKey(txid, vout)),
    spenderInMempool: mempool.spender,
    acceptToMempool,
    /** generateblock: one block of exactly these transactions. */
    mineWith: (script: string, chosen: readonly ChainTx[]): string => mineOne(script, chosen).hash,
    conflictsOf,
    /**
     * How deep the deepest transaction spending one of its inputs instead is:
     * Core shows a conflicted wallet transaction with minus that many
     * confirmations. 0 when it is in the chain or the mempool, or conflicts with nothing mined.
     */
    conflictDepth(txid: string): number {
      if (locations.has(txid) || mempool.has(txid)) return 0;
      let deepest = 0;
      for (const other of conflictsOf(txid)) {
        const loc = locations.get(other);
        if (loc) deepest = Math.max(deepest, tip().height - loc.block.height + 1);
      }
      return deepest;
    },
    mine(count: number, script: string): string[] {
      const hashes: string[] = [];
      for (let i = 0; i < count; i++) hashes.push(mineOne(script).hash);
      return hashes;
    },
    invalidate(hash: string): void {
      const block = requireBlock(hash);
      if (block.height === 0) throw new RpcError(RPC.MISC_ERROR, "Cannot invalidate genesis block");
      invalid.add(hash);
      if (!isActive(block)) return;
      const back: ChainTx[] = [];
      while (tip().height >= block.height) back.unshift(...disconnectTip());
      resurrect(back);
      activateBestChain();
    },
    reconsider(hash: string): void {
      const block = requireBlock(hash);
      for (let b: Block | undefined = block; b; b = b.prev ? blocks.get(b.prev) : undefined) {
        invalid.delete(b.hash);
      }
      // Descendants of the block are reconsidered too.
      for (const b of blocks.values()) {
        if (!invalid.has(b.hash)) continue;
        for (let a: Block | undefined = b; a; a = a.prev ? blocks.get(a.prev) : undefined) {
          if (a.hash === hash) {
            invalid.delete(b.hash);
            break;
          }
        }
      }
      activateBestChain();
    },
    snapshot(): ChainSnapshot {
      return {
        blocks: [...blocks.values()].map((b) =>
          invalid.has(b.hash) ? { ...b, invalid: true } : b,
        ),
        txs: [...txs.values()].filter((t) => t !== genesisTx).map((t) => [t.hex, t.time]),
        mempool: mempool.txids(),
        tip: tip().hash,
      };
    },
    restore(snap: ChainSnapshot): void {
      for (const [txHex, time] of snap.txs) {
        remember(parseTx(txHex, time));
      }
      for (const { invalid: bad, ...b } of snap.blocks) {
        blocks.set(b.hash, b);
        if (bad) invalid.add(b.hash);
      }
      const path: Block[] = [];
      for (let b = blocks.get(snap.tip); b && b.height > 0; b = blocks.get(b.prev as string)) {
        path.unshift(b);
      }
      for (const b of path) connect(b);
      for (const txid of snap.mempool) {
        const tx = txs.get(txid);
        if (tx) mempool.add(tx);
      }
    },
  };
}
