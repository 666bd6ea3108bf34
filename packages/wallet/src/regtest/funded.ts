/**
 * A regtest chain ready to play with, on any node that speaks Core's RPC
 * (the sandbox or a real bitcoind): the wallets asked for, and an "outside"
 * wallet that mined 101 blocks and so holds spendable coins.
 */
import { BitcoinNodeError, createBitcoinNode, type RpcBitcoinNode } from "../node/index.js";

export interface RpcEndpoint {
  readonly url: string;
  readonly user: string;
  readonly password: string;
}

export interface FundedChain {
  readonly endpoint: RpcEndpoint;
  /** A client of one wallet (or of the node, without a name). */
  node(wallet?: string): RpcBitcoinNode;
  /** The wallet holding mined coins. */
  readonly outside: RpcBitcoinNode;
  /** Mines blocks paying the outside wallet; returns their hashes. */
  mine(blocks?: number): Promise<string[]>;
  /** Pays from outside; returns the txid. */
  pay(address: string, sats: bigint): Promise<string>;
}

/** Creates `name`, kept loaded across restarts of the node; loads it when it exists. */
export async function ensureWallet(root: RpcBitcoinNode, name: string): Promise<void> {
  try {
    // createwallet name disable_private_keys blank passphrase avoid_reuse descriptors load_on_startup
    await root.call("createwallet", [name, false, false, "", false, true, true]);
  } catch (error) {
    if (!(error instanceof BitcoinNodeError) || error.rpcCode !== -4) throw error;
    await root.call("loadwallet", [name, true]).catch((e: unknown) => {
      if (!(e instanceof BitcoinNodeError) || e.rpcCode !== -35) throw e; // already loaded
    });
  }
}

export async function fundChain(
  endpoint: RpcEndpoint,
  wallets: readonly string[] = ["gw"],
): Promise<FundedChain> {
  const node = (wallet?: string) =>
    createBitcoinNode({
      url: endpoint.url,
      user: endpoint.user,
      password: endpoint.password,
      timeoutMs: 30_000,
      ...(wallet ? { wallet } : {}),
    });
  for (const wallet of [...wallets, "outside"]) await ensureWallet(node(), wallet);
  const outside = node("outside");
  // A fresh coinbase address each time: after `invalidateblock`, a block
  // with the same coinbase and time would be the invalid one again, and Core
  // refuses it.
  const mine = async (blocks = 1) =>
    (await outside.call("generatetoaddress", [
      blocks,
      await outside.getNewAddress("", "bech32"),
    ])) as string[];
  await mine(101);
  return {
    endpoint,
    node,
    outside,
    mine,
    pay: (address, amount) => outside.sendToAddress({ address, amount }),
  };
}
