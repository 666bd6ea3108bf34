/**
 * A throw-away `bitcoind -regtest`: its own data directory, free ports,
 * stopped by its PID. The node answers the same RPCs the gateway uses, so
 * tests and demos run unchanged against it and against the sandbox.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BitcoinNodeError, createBitcoinNode } from "../node/index.js";
import { freePort } from "./port.js";

export interface BitcoindOptions {
  binary: string;
  /** Default "bitcoim". */
  user?: string;
  /** Default "bitcoim". */
  password?: string;
  /** BTC/kvB; default 0.0002, the sandbox's 20 sat/vB. */
  fallbackFee?: string;
  /** More `-name=value` arguments. */
  args?: readonly string[];
  /** How long start-up may take; default 30 s. */
  startTimeoutMs?: number;
}

export interface Bitcoind {
  /** "http://127.0.0.1:PORT" */
  readonly url: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly datadir: string;
  /** The PID of the running process (changes on restart). */
  pid(): number;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL: the node dies as in a power cut. */
  kill(): Promise<void>;
  /** Starts it again on the same data directory and ports, once stopped or killed. */
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  close(): Promise<void>;
}

export class BitcoindStartError extends Error {
  readonly code = "BITCOIND_START";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BitcoindStartError";
  }
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : once(child, "exit").then(() => undefined);

export async function startBitcoind(options: BitcoindOptions): Promise<Bitcoind> {
  const user = options.user ?? "bitcoim";
  const password = options.password ?? "bitcoim";
  const datadir = await mkdtemp(join(tmpdir(), "bitcoim-bitcoind-"));
  let child: ChildProcess | undefined;
  let port = 0;
  let p2p = 0;
  const killOnExit = () => child?.kill("SIGKILL");

  const launch = async () => {
    const args = [
      "-regtest",
      `-datadir=${datadir}`,
      "-daemon=0",
      "-server",
      "-listen=0",
      "-dnsseed=0",
      "-fixedseeds=0",
      `-port=${p2p}`,
      `-rpcport=${port}`,
      "-rpcbind=127.0.0.1",
      "-rpcallowip=127.0.0.1",
      `-rpcuser=${user}`,
      `-rpcpassword=${password}`,
      `-fallbackfee=${options.fallbackFee ?? "0.0002"}`,
      "-rpcworkqueue=256",
      "-rpcthreads=8",
      "-printtoconsole=0",
      ...(options.args ?? []),
    ];
    const started = spawn(options.binary, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    started.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // (`events.once` would reject with the raw error: it is wrapped here.)
    await new Promise<void>((resolve, reject) => {
      started.once("spawn", resolve);
      started.once("error", (error) =>
        reject(
          new BitcoindStartError(`cannot run ${options.binary}: ${error.message}`, {
            cause: error,
          }),
        ),
      );
    });
    child = started;
    process.once("exit", killOnExit);
    const root = createBitcoinNode({
      url: `http://127.0.0.1:${port}`,
      user,
      password,
      timeoutMs: 5_000,
    });
    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    for (;;) {
      if (started.exitCode !== null || started.signalCode !== null) {
        const log = await readFile(join(datadir, "regtest", "debug.log"), "utf8").catch(() => "");
        throw new BitcoindStartError(
          `bitcoind exited at start (${started.exitCode ?? started.signalCode}): ${stderr.trim() || log.split("\n").slice(-5).join("\n")}`,
        );
      }
      try {
        await root.call("getblockcount");
        return;
      } catch (error) {
        // -28: still loading; unavailable: not listening yet.
        const waiting =
          error instanceof BitcoinNodeError &&
          (error.rpcCode === -28 || error.code === "NODE_UNAVAILABLE");
        if (!waiting) throw error;
      }
      if (Date.now() > deadline) {
        started.kill("SIGKILL");
        throw new BitcoindStartError(`bitcoind did not answer within the start timeout`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const end = async (signal: NodeJS.Signals) => {
    const running = child;
    if (running === undefined) return;
    const gone = exited(running);
    running.kill(signal);
    const timer = setTimeout(() => running.kill("SIGKILL"), 10_000);
    await gone;
    clearTimeout(timer);
    process.removeListener("exit", killOnExit);
    child = undefined;
  };

  // A port taken between our probe and bitcoind's bind is retried on fresh ones.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    p2p = await freePort();
    try {
      await launch();
      break;
    } catch (error) {
      await end("SIGKILL");
      if (attempt === 3 || !(error instanceof BitcoindStartError)) {
        await rm(datadir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    user,
    password,
    datadir,
    pid: () => child?.pid ?? 0,
    stop: () => end("SIGTERM"),
    kill: () => end("SIGKILL"),
    async start() {
      if (child === undefined) await launch();
    },
    async close() {
      await end("SIGTERM");
      await rm(datadir, { recursive: true, force: true });
    },
  };
}
