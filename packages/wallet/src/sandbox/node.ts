/**
 * The sandbox node: one chain shared by the loaded wallets, the wallets kept
 * "on disk" while unloaded, and wallet selection from the request URL.
 */
import { type Chain, type ChainSnapshot, createChain } from "./chain.js";
import { RPC, RpcError } from "./errors.js";
import { createWallet, type Wallet, type WalletSnapshot } from "./wallet.js";

export interface NodeDeps {
  readonly fallbackFeeRate: bigint;
  /** Shown where Core shows its data directory in messages. */
  readonly datadir: string;
  readonly now?: () => number;
  /** Called after every state change (persistence). */
  readonly onChange?: () => void;
}

export interface NodeSnapshot {
  version: 1;
  chain: ChainSnapshot;
  wallets: WalletSnapshot[];
  loaded: string[];
}

export type SandboxNode = ReturnType<typeof createNode>;

export function createNode(deps: NodeDeps) {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const loaded = new Map<string, Wallet>();
  const stored = new Map<string, WalletSnapshot>();
  const chain: Chain = createChain({
    now,
    onTx: (tx) => {
      for (const w of loaded.values()) w.onTx(tx);
    },
  });

  function load(name: string, snapshot?: WalletSnapshot): Wallet {
    const wallet = createWallet(snapshot ? { name, chain, now, snapshot } : { name, chain, now });
    // Rescan, as Core does when loading: the chain moved while it was unloaded.
    for (const tx of chain.allTxs()) wallet.onTx(tx);
    loaded.set(name, wallet);
    return wallet;
  }

  return {
    chain,
    now,
    fallbackFeeRate: deps.fallbackFeeRate,
    datadir: deps.datadir,
    changed: () => deps.onChange?.(),
    loaded: loaded as ReadonlyMap<string, Wallet>,
    exists: (name: string) => loaded.has(name) || stored.has(name),
    create: (name: string) => load(name),
    load(name: string): Wallet {
      const snap = stored.get(name);
      if (!snap) throw new Error(`no stored wallet ${name}`);
      stored.delete(name);
      return load(name, snap);
    },
    unload(name: string): void {
      const w = loaded.get(name);
      if (!w) return;
      w.lock();
      stored.set(name, w.snapshot());
      loaded.delete(name);
    },
    /** Core's GetWalletForJSONRPCRequest. */
    walletFor(urlWallet: string | undefined): Wallet {
      if (urlWallet !== undefined) {
        const w = loaded.get(urlWallet);
        if (!w) {
          throw new RpcError(
            RPC.WALLET_NOT_FOUND,
            "Requested wallet does not exist or is not loaded",
          );
        }
        return w;
      }
      if (loaded.size === 1) return loaded.values().next().value as Wallet;
      if (loaded.size === 0) {
        throw new RpcError(
          RPC.WALLET_NOT_FOUND,
          "No wallet is loaded. Load a wallet using loadwallet or create a new one with createwallet. (Note: A default wallet is no longer automatically created)",
        );
      }
      throw new RpcError(
        RPC.WALLET_NOT_SPECIFIED,
        "Multiple wallets are loaded. Please select which wallet to use by requesting the RPC through the /wallet/<walletname> URI path.",
      );
    },
    snapshot(): NodeSnapshot {
      return {
        version: 1,
        chain: chain.snapshot(),
        wallets: [...[...loaded.values()].map((w) => w.snapshot()), ...stored.values()],
        loaded: [...loaded.keys()],
      };
    },
    restore(snap: NodeSnapshot): void {
      chain.restore(snap.chain);
      const isLoaded = new Set(snap.loaded);
      for (const w of snap.wallets) {
        if (isLoaded.has(w.name)) load(w.name, w);
        else stored.set(w.name, w);
      }
    },
    close(): void {
      for (const w of loaded.values()) w.lock();
    },
  };
}
