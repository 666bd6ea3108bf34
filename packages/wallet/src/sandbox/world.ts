/**
 * A sandbox chain ready to play with: the wallets asked for, and an
 * "outside" wallet that mined 101 blocks and so holds spendable coins —
 * what tests, demos and examples all start from.
 */
export { mineDoubleSpend } from "../regtest/double-spend.js";

import { type FundedChain, fundChain } from "../regtest/funded.js";
import { type Sandbox, type SandboxOptions, startSandbox } from "./start.js";

export interface FundedSandbox extends FundedChain {
  readonly sandbox: Sandbox;
  close(): Promise<void>;
}

export async function startFundedSandbox(
  options: SandboxOptions & { wallets?: readonly string[] } = {},
): Promise<FundedSandbox> {
  const { wallets = ["gw"], ...sandboxOptions } = options;
  const sandbox = await startSandbox(sandboxOptions);
  const chain = await fundChain(sandbox, wallets);
  return { ...chain, sandbox, close: () => sandbox.close() };
}
