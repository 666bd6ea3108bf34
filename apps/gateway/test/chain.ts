/** The sandbox chain with the gateway's wallet "gw" and an "outside" wallet holding mined coins. */
import { createBitcoinNode, type RpcBitcoinNode } from "@bitcoim/wallet";
import { type Sandbox, startSandbox } from "@bitcoim/wallet/sandbox";

export interface Chain {
  sandbox: Sandbox;
  outside: RpcBitcoinNode;
  mine(blocks?: number): Promise<void>;
  pay(address: string, sats: bigint): Promise<string>;
  /** A [bitcoin] section for this chain. */
  toml(wallet?: string): string;
  close(): Promise<void>;
}

export async function startChain(): Promise<Chain> {
  const sandbox = await startSandbox();
  const connect = (wallet?: string) =>
    createBitcoinNode({
      url: sandbox.url,
      user: sandbox.user,
      password: sandbox.password,
      ...(wallet ? { wallet } : {}),
    });
  const root = connect();
  await root.call("createwallet", ["gw"]);
  await root.call("createwallet", ["outside"]);
  const outside = connect("outside");
  const sink = await outside.getNewAddress("", "bech32");
  const mine = async (blocks = 1) => {
    await outside.call("generatetoaddress", [blocks, sink]);
  };
  await mine(101);
  return {
    sandbox,
    outside,
    mine,
    pay: (address, sats) => outside.sendToAddress({ address, amount: sats }),
    toml: (wallet = "gw") =>
      [
        "[bitcoin]",
        'network = "regtest"',
        `url = "${sandbox.url}"`,
        `user = "${sandbox.user}"`,
        `password = "${sandbox.password}"`,
        `wallet = "${wallet}"`,
      ].join("\n"),
    close: () => sandbox.close(),
  };
}
