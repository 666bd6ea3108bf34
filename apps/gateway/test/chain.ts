/** The sandbox chain with the gateway's wallet "gw" and an "outside" wallet holding mined coins. */
import type { RpcBitcoinNode } from "@bitcoim/wallet";
import { type Sandbox, startFundedSandbox } from "@bitcoim/wallet/sandbox";

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
  const { sandbox, outside, mine, pay, close } = await startFundedSandbox();
  return {
    sandbox,
    outside,
    mine: async (blocks) => {
      await mine(blocks);
    },
    pay,
    toml: (wallet = "gw") =>
      [
        "[bitcoin]",
        'network = "regtest"',
        `url = "${sandbox.url}"`,
        `user = "${sandbox.user}"`,
        `password = "${sandbox.password}"`,
        `wallet = "${wallet}"`,
      ].join("\n"),
    close,
  };
}
