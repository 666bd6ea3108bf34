/**
 * A sandbox chain ready to play with: the wallets asked for, and an
 * "outside" wallet that mined 101 blocks and so holds spendable coins —
 * what tests, demos and examples all start from.
 */
import { createBitcoinNode, type RpcBitcoinNode } from "../node/index.js";
import { type Sandbox, type SandboxOptions, startSandbox } from "./index.js";

export interface FundedSandbox {
  readonly sandbox: Sandbox;
  /** A client of one wallet (or of the node, without a name). */
  node(wallet?: string): RpcBitcoinNode;
  /** The wallet holding mined coins. */
  readonly outside: RpcBitcoinNode;
  /** Mines blocks paying the outside wallet; returns their hashes. */
  mine(blocks?: number): Promise<string[]>;
  /** Pays from outside; returns the txid. */
  pay(address: string, sats: bigint): Promise<string>;
  close(): Promise<void>;
}

/**
 * Mines, in place of `txid` (a transaction of `wallet` still in the
 * mempool, its first input confirmed), a block holding another transaction
 * of `wallet` that spends that input to `outputs` — a double spend, as a
 * payer or a fee bump would make one. Uses standard RPCs only
 * (`generateblock`), so it works against Bitcoin Core too. Returns the new txid.
 */
export async function mineDoubleSpend(
  wallet: RpcBitcoinNode,
  txid: string,
  outputs: Record<string, string>[],
): Promise<string> {
  const { hex } = await wallet.getTransaction(txid);
  const [input] = (await wallet.decodeRawTransaction(hex)).inputs;
  const draft = await wallet.call("createrawtransaction", [[input], outputs]);
  const signed = await wallet.signRawTransactionWithWallet(draft as string);
  if (!signed.complete) throw new Error(`cannot sign a double spend of ${txid}: ${signed.errors}`);
  const [miner] = Object.keys(outputs[0] ?? {});
  await wallet.call("generateblock", [miner, [signed.hex]]);
  return (await wallet.decodeRawTransaction(signed.hex)).txid;
}

export async function startFundedSandbox(
  options: SandboxOptions & { wallets?: readonly string[] } = {},
): Promise<FundedSandbox> {
  const { wallets = ["gw"], ...sandboxOptions } = options;
  const sandbox = await startSandbox(sandboxOptions);
  const node = (wallet?: string) =>
    createBitcoinNode({
      url: sandbox.url,
      user: sandbox.user,
      password: sandbox.password,
      ...(wallet ? { wallet } : {}),
    });
  for (const wallet of [...wallets, "outside"]) await node().call("createwallet", [wallet]);
  const outside = node("outside");
  const miner = await outside.getNewAddress("", "bech32");
  const mine = async (blocks = 1) =>
    (await outside.call("generatetoaddress", [blocks, miner])) as string[];
  await mine(101);
  return {
    sandbox,
    node,
    outside,
    mine,
    pay: (address, amount) => outside.sendToAddress({ address, amount }),
    close: () => sandbox.close(),
  };
}
