/** Which wallet outputs are spendable, and the balances Core reports from them. */
import { hex } from "@scure/base";
import { p2wpkh } from "@scure/btc-signer";
import { REGTEST } from "./address.js";
import { COINBASE_MATURITY } from "./block.js";
import type { Chain } from "./chain.js";
import type { KeyRecord } from "./keys.js";
import type { ChainTx } from "./tx.js";
import type { Coin, Wallet } from "./wallet.js";

export function redeemScript(key: KeyRecord): string {
  return hex.encode(p2wpkh(hex.decode(key.pubkey), REGTEST).script);
}

const mature = (chain: Chain, tx: ChainTx): boolean =>
  !tx.coinbase || chain.depth(tx.txid) >= COINBASE_MATURITY + 1;

/** Unspent, mature outputs; unconfirmed ones only when trusted (our own change) unless asked. */
export function spendableCoins(
  chain: Chain,
  wallet: Wallet,
  opts: { includeUntrusted: boolean },
): Coin[] {
  const out: Coin[] = [];
  for (const c of wallet.coins.values()) {
    if (!chain.isUnspent(c.txid, c.vout) || wallet.isSpent(c)) continue;
    const tx = chain.tx(c.txid) as ChainTx;
    if (!mature(chain, tx)) continue;
    if (chain.depth(c.txid) === 0 && !opts.includeUntrusted && !wallet.isTrusted(tx)) continue;
    out.push(c);
  }
  return out;
}

export interface Balances {
  trusted: bigint;
  untrustedPending: bigint;
  immature: bigint;
}

/** Core's GetBalance. */
export function balances(chain: Chain, wallet: Wallet, minDepth = 0): Balances {
  const b: Balances = { trusted: 0n, untrustedPending: 0n, immature: 0n };
  for (const c of wallet.coins.values()) {
    const tx = chain.tx(c.txid) as ChainTx;
    const depth = chain.depth(c.txid);
    if (tx.coinbase && depth > 0 && depth < COINBASE_MATURITY + 1) {
      b.immature += c.value;
      continue;
    }
    if (!chain.isUnspent(c.txid, c.vout) || wallet.isSpent(c)) continue;
    if (tx.coinbase && depth === 0) continue;
    if (wallet.isTrusted(tx)) {
      if (depth >= minDepth) b.trusted += c.value;
    } else if (depth === 0 && chain.inMempool(c.txid)) b.untrustedPending += c.value;
  }
  return b;
}

/** Core's GetReceived over a set of scripts: outputs of counted transactions, spent or not. */
export function received(
  chain: Chain,
  wallet: Wallet,
  scripts: Iterable<string>,
  minconf: number,
  includeImmature: boolean,
): { amount: bigint; confirmations: number | undefined; txids: string[] } {
  let amount = 0n;
  let confirmations: number | undefined;
  const txids = new Set<string>();
  for (const script of scripts) {
    for (const c of wallet.coinsOf(script)) {
      const tx = chain.tx(c.txid) as ChainTx;
      const depth = chain.depth(c.txid);
      if (depth < minconf) continue;
      if (tx.coinbase && (depth < 1 || (!mature(chain, tx) && !includeImmature))) continue;
      if (depth === 0 && !chain.inMempool(c.txid)) continue;
      amount += c.value;
      confirmations = confirmations === undefined ? depth : Math.min(confirmations, depth);
      txids.add(c.txid);
    }
  }
  return { amount, confirmations, txids: [...txids] };
}
