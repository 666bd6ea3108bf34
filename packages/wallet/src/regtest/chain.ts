/**
 * One funded regtest chain of either kind — the in-process sandbox or a real
 * `bitcoind -regtest` — behind one interface, so a suite runs unchanged on
 * both. Both can be stopped and started again on the same port and state.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sandbox, startSandbox } from "../sandbox/index.js";
import { type Bitcoind, startBitcoind } from "./bitcoind.js";
import { type FundedChain, fundChain } from "./funded.js";

export type ChainKind = "sandbox" | "bitcoind";

export interface TestChain extends FundedChain {
  readonly kind: ChainKind;
  /** Takes the node down (a clean stop); its state is kept. */
  stop(): Promise<void>;
  /** SIGKILL for bitcoind; for the sandbox, the same as `stop` (its state file is written per change). */
  kill(): Promise<void>;
  /** Brings it back on the same port, with its state. */
  start(): Promise<void>;
  close(): Promise<void>;
}

async function sandboxChain(wallets: readonly string[]): Promise<TestChain> {
  const dir = await mkdtemp(join(tmpdir(), "bitcoim-sandbox-"));
  const stateFile = join(dir, "state.json");
  let sandbox: Sandbox | undefined = await startSandbox({ stateFile });
  const { port, user, password, url } = sandbox;
  const chain = await fundChain({ url, user, password }, wallets);
  const stop = async () => {
    await sandbox?.close();
    sandbox = undefined;
  };
  return {
    ...chain,
    kind: "sandbox",
    stop,
    kill: stop,
    async start() {
      sandbox ??= await startSandbox({ port, user, password, stateFile });
    },
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function bitcoindChain(binary: string, wallets: readonly string[]): Promise<TestChain> {
  const node: Bitcoind = await startBitcoind({ binary });
  try {
    const chain = await fundChain(node, wallets);
    return {
      ...chain,
      kind: "bitcoind",
      stop: () => node.stop(),
      kill: () => node.kill(),
      start: () => node.start(),
      close: () => node.close(),
    };
  } catch (error) {
    await node.close();
    throw error;
  }
}

export function startChain(
  kind: ChainKind,
  options: { binary?: string; wallets?: readonly string[] } = {},
): Promise<TestChain> {
  const wallets = options.wallets ?? ["gw"];
  if (kind === "sandbox") return sandboxChain(wallets);
  if (options.binary === undefined) throw new TypeError("a bitcoind chain needs `binary`");
  return bitcoindChain(options.binary, wallets);
}
