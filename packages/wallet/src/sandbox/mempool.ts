/** The mempool: unconfirmed transactions in arrival order and the outpoints they spend. */
import { type ChainTx, outpointKey } from "./tx.js";

export type Mempool = ReturnType<typeof createMempool>;

export function createMempool() {
  const txs = new Map<string, ChainTx>();
  const spends = new Map<string, string>();

  /** Takes a transaction out (it was mined); its children stay. */
  function confirm(txid: string): ChainTx | undefined {
    const tx = txs.get(txid);
    if (!tx) return undefined;
    txs.delete(txid);
    for (const i of tx.inputs) spends.delete(outpointKey(i.txid, i.vout));
    return tx;
  }

  /** Evicts a transaction (conflicted) with all its descendants. */
  function remove(txid: string): void {
    const tx = confirm(txid);
    if (!tx) return;
    tx.outputs.forEach((_, vout) => {
      const child = spends.get(outpointKey(txid, vout));
      if (child) remove(child);
    });
  }

  return {
    has: (txid: string) => txs.has(txid),
    get: (txid: string) => txs.get(txid),
    txids: () => [...txs.keys()],
    /** The txid spending an outpoint, if a mempool transaction does. */
    spender: (txid: string, vout: number) => spends.get(outpointKey(txid, vout)),
    add(tx: ChainTx): void {
      txs.set(tx.txid, tx);
      for (const i of tx.inputs) spends.set(outpointKey(i.txid, i.vout), tx.txid);
    },
    confirm,
    remove,
    /** Everything, parents before children (a reorg re-adds parents after their children). */
    parentsFirst(): ChainTx[] {
      const ordered: ChainTx[] = [];
      const done = new Set<string>();
      const visit = (tx: ChainTx): void => {
        if (done.has(tx.txid)) return;
        done.add(tx.txid);
        for (const i of tx.inputs) {
          const parent = txs.get(i.txid);
          if (parent) visit(parent);
        }
        ordered.push(tx);
      };
      for (const tx of txs.values()) visit(tx);
      return ordered;
    },
  };
}
