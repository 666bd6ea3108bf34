/**
 * One wallet's own data: keys, labels, the transactions that touch it and the
 * outputs it owns. Everything about confirmations and spentness is read from
 * the shared chain, so several wallets see one consistent ledger.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { AddressType } from "./address.js";
import type { Chain } from "./chain.js";
import { createKeyChain, type KeyRecord } from "./keys.js";
import { type ChainTx, outpointKey } from "./tx.js";

export interface WalletTxMeta {
  readonly txid: string;
  readonly time: number;
  comment?: string;
  to?: string;
  /** `abandontransaction`: its inputs are spendable again, until it is accepted or mined. */
  abandoned?: boolean;
}

export interface Coin {
  readonly txid: string;
  readonly vout: number;
  readonly value: bigint;
  readonly key: KeyRecord;
}

export interface WalletSnapshot {
  name: string;
  seed: string;
  birthtime: number;
  keys: KeyRecord[];
  txs: WalletTxMeta[];
  passphrase?: { salt: string; hash: string };
}

export interface WalletDeps {
  readonly name: string;
  readonly chain: Chain;
  readonly now: () => number;
  /** Restores a saved wallet; a new one gets a random seed. */
  readonly snapshot?: WalletSnapshot;
}

export type Wallet = ReturnType<typeof createWallet>;

const hashPassphrase = (salt: string, passphrase: string): string =>
  createHash("sha256").update(`${salt}:${passphrase}`).digest("hex");

export function createWallet(deps: WalletDeps) {
  const { chain, now } = deps;
  const seed = deps.snapshot?.seed ?? randomBytes(32).toString("hex");
  const birthtime = deps.snapshot?.birthtime ?? now();
  const keychain = createKeyChain(seed);
  const keys: KeyRecord[] = [];
  const byScript = new Map<string, KeyRecord>();
  const byAddress = new Map<string, KeyRecord>();
  const labels = new Map<string, Set<string>>();
  const next = new Map<string, number>();
  const txs = new Map<string, WalletTxMeta>();
  const txOrder: string[] = [];
  const coins = new Map<string, Coin>();
  // Our outputs, and the wallet transactions spending each.
  const spenders = new Map<string, Set<string>>();
  const noteSpends = (tx: ChainTx): void => {
    for (const i of tx.inputs) {
      const key = outpointKey(i.txid, i.vout);
      if (!coins.has(key)) continue;
      const set = spenders.get(key);
      if (set) set.add(tx.txid);
      else spenders.set(key, new Set([tx.txid]));
    }
  };
  // Core's setLockedCoins: in memory only, as `lockunspent` without `persistent`.
  const lockedCoins = new Set<string>();
  const coinsByScript = new Map<string, Coin[]>();
  const addCoin = (coin: Coin): void => {
    const key = outpointKey(coin.txid, coin.vout);
    if (coins.has(key)) return;
    coins.set(key, coin);
    const list = coinsByScript.get(coin.key.script);
    if (list) list.push(coin);
    else coinsByScript.set(coin.key.script, [coin]);
  };
  let passphrase = deps.snapshot?.passphrase;
  // Unlocking expires lazily (no timer): Core's timeouts reach 10^8 seconds.
  let unlockedUntil = 0;
  const unlockedNow = (): boolean => unlockedUntil > now();

  function indexLabel(k: KeyRecord, label: string | undefined): void {
    if (k.label !== undefined) labels.get(k.label)?.delete(k.address);
    k.label = label;
    if (label === undefined) return;
    let set = labels.get(label);
    if (!set) {
      set = new Set();
      labels.set(label, set);
    }
    set.add(k.address);
  }

  function addKey(k: KeyRecord): void {
    keys.push(k);
    byScript.set(k.script, k);
    byAddress.set(k.address, k);
    const branch = `${k.type}/${k.change ? 1 : 0}`;
    next.set(branch, Math.max(next.get(branch) ?? 0, k.index + 1));
    const label = k.label;
    k.label = undefined;
    indexLabel(k, label);
  }

  function onTx(tx: ChainTx): void {
    // Core unlocks what a transaction spends once it reaches the wallet (bitcoin#13160).
    for (const i of tx.inputs) lockedCoins.delete(outpointKey(i.txid, i.vout));
    const known = txs.get(tx.txid);
    if (known) {
      delete known.abandoned; // accepted again, or mined
      return;
    }
    let mine = tx.inputs.some((i) => coins.has(outpointKey(i.txid, i.vout)));
    tx.outputs.forEach((o, vout) => {
      const key = byScript.get(o.script);
      if (!key) return;
      mine = true;
      addCoin({ txid: tx.txid, vout, value: o.value, key });
    });
    if (!mine) return;
    noteSpends(tx);
    txs.set(tx.txid, { txid: tx.txid, time: now() });
    txOrder.push(tx.txid);
  }

  function debit(tx: ChainTx): bigint {
    let sum = 0n;
    for (const i of tx.inputs) sum += coins.get(outpointKey(i.txid, i.vout))?.value ?? 0n;
    return sum;
  }

  const wallet = {
    name: deps.name,
    keychain,
    birthtime,
    keys: keys as readonly KeyRecord[],
    labels: labels as ReadonlyMap<string, ReadonlySet<string>>,
    txs: txs as ReadonlyMap<string, WalletTxMeta>,
    txOrder: txOrder as readonly string[],
    coins: coins as ReadonlyMap<string, Coin>,
    byAddress: (address: string) => byAddress.get(address),
    coinsOf: (script: string): readonly Coin[] => coinsByScript.get(script) ?? [],
    byScript: (script: string) => byScript.get(script),
    newKey(type: AddressType, change: boolean, label?: string): KeyRecord {
      const branch = `${type}/${change ? 1 : 0}`;
      const k = keychain.derive(type, change, next.get(branch) ?? 0, now());
      if (label !== undefined) k.label = label;
      addKey(k);
      return k;
    },
    setLabel: indexLabel,
    /** Outpoint keys (`txid:vout`) kept out of coin selection. */
    lockedCoins: lockedCoins as ReadonlySet<string>,
    lockCoin: (key: string) => void lockedCoins.add(key),
    unlockCoin: (key: string) => void lockedCoins.delete(key),
    unlockAll: () => lockedCoins.clear(),
    onTx,
    debit,
    /**
     * Core's IsSpent: a wallet transaction spends it that is neither
     * abandoned nor conflicted — in the mempool, mined, or dropped from the
     * mempool (still ours to send again).
     */
    isSpent(coin: Coin): boolean {
      for (const txid of spenders.get(outpointKey(coin.txid, coin.vout)) ?? []) {
        if (txs.get(txid)?.abandoned) continue;
        if (chain.depth(txid) > 0 || chain.conflictDepth(txid) === 0) return true;
      }
      return false;
    },
    /** Core's AbandonTransaction: unconfirmed and out of the mempool only; its wallet descendants too. */
    abandon(txid: string): boolean {
      if (chain.depth(txid) !== 0 || chain.inMempool(txid)) return false;
      const todo = [txid];
      for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
        const meta = txs.get(id);
        if (!meta || meta.abandoned || chain.depth(id) !== 0 || chain.inMempool(id)) continue;
        meta.abandoned = true;
        chain.tx(id)?.outputs.forEach((_, vout) => {
          for (const child of spenders.get(outpointKey(id, vout)) ?? []) todo.push(child);
        });
      }
      return true;
    },
    /**
     * Core's `removeprunedfunds` (RemoveTxs): the transaction leaves the
     * wallet — its record, its spends and the coins it paid us — as if the
     * wallet had never heard of it. The chain and the mempool keep it.
     */
    forget(txid: string): boolean {
      if (!txs.delete(txid)) return false;
      txOrder.splice(txOrder.indexOf(txid), 1);
      for (const set of spenders.values()) set.delete(txid);
      for (const [key, coin] of coins) {
        if (coin.txid !== txid) continue;
        coins.delete(key);
        const list = coinsByScript.get(coin.key.script) ?? [];
        list.splice(list.indexOf(coin), 1);
      }
      return true;
    },
    /** Core's IsFromMe: the wallet spends at least one of its outputs. */
    isFromMe: (tx: ChainTx) => tx.inputs.some((i) => coins.has(outpointKey(i.txid, i.vout))),
    /** Core's ScriptIsChange: ours but not in the address book. */
    isChange: (script: string) => {
      const k = byScript.get(script);
      return k !== undefined && k.label === undefined;
    },
    /** Core's CachedTxIsTrusted, simplified: confirmed, or our own spend in the mempool. */
    isTrusted(tx: ChainTx): boolean {
      if (chain.depth(tx.txid) > 0) return true;
      return chain.inMempool(tx.txid) && debit(tx) > 0n;
    },
    get encrypted(): boolean {
      return passphrase !== undefined;
    },
    get unlockedUntil(): number {
      return unlockedNow() ? unlockedUntil : 0;
    },
    get locked(): boolean {
      return passphrase !== undefined && !unlockedNow();
    },
    setPassphrase(p: string): void {
      const salt = randomBytes(16).toString("hex");
      passphrase = { salt, hash: hashPassphrase(salt, p) };
      wallet.lock();
    },
    checkPassphrase(p: string): boolean {
      if (!passphrase) return false;
      const a = Buffer.from(hashPassphrase(passphrase.salt, p), "hex");
      return timingSafeEqual(a, Buffer.from(passphrase.hash, "hex"));
    },
    unlock(seconds: number): void {
      unlockedUntil = now() + seconds;
    },
    lock(): void {
      unlockedUntil = 0;
    },
    setComment(txid: string, comment: string | undefined, to: string | undefined): void {
      const meta = txs.get(txid);
      if (!meta) return;
      if (comment) meta.comment = comment;
      if (to) meta.to = to;
    },
    snapshot(): WalletSnapshot {
      return {
        name: deps.name,
        seed,
        birthtime,
        keys: [...keys],
        txs: [...txs.values()],
        ...(passphrase ? { passphrase } : {}),
      };
    },
  };

  if (deps.snapshot) {
    for (const k of deps.snapshot.keys) addKey({ ...k });
    for (const meta of deps.snapshot.txs) {
      txs.set(meta.txid, { ...meta });
      txOrder.push(meta.txid);
      const tx = chain.tx(meta.txid);
      tx?.outputs.forEach((o, vout) => {
        const key = byScript.get(o.script);
        if (key)
          coins.set(outpointKey(tx.txid, vout), { txid: tx.txid, vout, value: o.value, key });
      });
    }
    for (const meta of deps.snapshot.txs) {
      const tx = chain.tx(meta.txid);
      if (tx) noteSpends(tx);
    }
  }
  return wallet;
}
