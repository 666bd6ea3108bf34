/**
 * Core's ListTransactions / WalletTxToJSON: how one wallet transaction is
 * shown in listtransactions, listsinceblock and gettransaction.
 */
import { scriptToAddress } from "./address.js";
import { COINBASE_MATURITY } from "./block.js";
import type { Chain } from "./chain.js";
import { Amount } from "./json.js";
import { type ChainTx, reportedWtxid } from "./tx.js";
import type { Wallet, WalletTxMeta } from "./wallet.js";

export type Entry = Record<string, unknown>;

export interface ListOptions {
  readonly minDepth: number;
  readonly long: boolean;
  readonly label?: string | undefined;
  readonly includeChange?: boolean;
}

export function isImmatureCoinbase(chain: Chain, tx: ChainTx): boolean {
  const depth = chain.depth(tx.txid);
  return tx.coinbase && depth > 0 && depth < COINBASE_MATURITY + 1;
}

/** Core's WalletTxToJSON: confirmation and identity fields. */
export function txFields(chain: Chain, wallet: Wallet, tx: ChainTx, meta: WalletTxMeta): Entry {
  const depth = chain.depth(tx.txid);
  const loc = chain.location(tx.txid);
  const conflicted = depth === 0 ? chain.conflictDepth(tx.txid) : 0;
  const out: Entry = { confirmations: conflicted > 0 ? -conflicted : depth };
  if (tx.coinbase) out.generated = true;
  if (loc && depth > 0) {
    out.blockhash = loc.block.hash;
    out.blockheight = loc.block.height;
    out.blockindex = loc.index;
    out.blocktime = loc.block.time;
  } else {
    out.trusted = wallet.isTrusted(tx);
  }
  out.txid = tx.txid;
  out.wtxid = reportedWtxid(tx);
  out.walletconflicts = chain.conflictsOf(tx.txid).filter((txid) => wallet.txs.has(txid));
  out.mempoolconflicts = [];
  out.time = meta.time;
  out.timereceived = meta.time;
  out["bip125-replaceable"] = depth > 0 || !tx.replaceable ? "no" : "yes";
  if (meta.comment !== undefined) out.comment = meta.comment;
  if (meta.to !== undefined) out.to = meta.to;
  return out;
}

/** Appends the entries of one transaction (Core's ListTransactions). */
export function listTransaction(
  chain: Chain,
  wallet: Wallet,
  tx: ChainTx,
  opts: ListOptions,
  into: Entry[],
): void {
  const meta = wallet.txs.get(tx.txid);
  if (!meta) return;
  const debit = wallet.debit(tx);
  const fee = debit > 0n ? debit - tx.outputs.reduce((s, o) => s + o.value, 0n) : 0n;
  const sent: number[] = [];
  const received: number[] = [];
  tx.outputs.forEach((o, vout) => {
    const mine = wallet.byScript(o.script) !== undefined;
    if (debit > 0n) {
      if (!opts.includeChange && wallet.isChange(o.script)) return;
    } else if (!mine) return;
    if (debit > 0n) sent.push(vout);
    if (mine) received.push(vout);
  });
  const fields = opts.long ? txFields(chain, wallet, tx, meta) : {};
  if (opts.label === undefined) {
    for (const vout of sent) {
      const o = tx.outputs[vout] as ChainTx["outputs"][number];
      const address = scriptToAddress(o.script);
      const key = wallet.byScript(o.script);
      into.push({
        address,
        category: "send",
        amount: new Amount(-o.value),
        label: key?.label,
        vout,
        fee: new Amount(-fee),
        ...fields,
        abandoned: meta.abandoned === true,
      });
    }
  }
  const depth = chain.depth(tx.txid);
  // Core compares the signed depth: a conflicted payment (negative) is
  // listed by the wallet that sent it, never by the one it would have paid.
  const signed = depth === 0 ? -chain.conflictDepth(tx.txid) : depth;
  if (received.length === 0 || signed < opts.minDepth) return;
  for (const vout of received) {
    const o = tx.outputs[vout] as ChainTx["outputs"][number];
    const key = wallet.byScript(o.script);
    if (!key) continue;
    if (opts.label !== undefined && (key.label ?? "") !== opts.label) continue;
    const category = !tx.coinbase
      ? "receive"
      : depth < 1
        ? "orphan"
        : isImmatureCoinbase(chain, tx)
          ? "immature"
          : "generate";
    into.push({
      address: key.address,
      parent_descs: [wallet.keychain.parentDesc(key)],
      category,
      amount: new Amount(o.value),
      label: key.label,
      vout,
      abandoned: meta.abandoned === true,
      ...fields,
    });
  }
}
