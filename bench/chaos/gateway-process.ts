/**
 * `bitcoim start` as an OS process of its own, from source, that the chaos
 * run kills: `start()` resolves once it logs "running" and rejects if it
 * exits first; `kill()` is SIGKILL; `stop(graceMs)` is SIGTERM, then SIGKILL
 * after `graceMs` — a shutdown cut short.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { createInterface } from "node:readline";

export interface GatewayProcess {
  start(): Promise<void>;
  /** Starts it and SIGKILLs it after `ms`, before or after it is ready. */
  startAndKillAfter(ms: number): Promise<void>;
  kill(): Promise<void>;
  stop(graceMs?: number): Promise<void>;
  readonly running: boolean;
  /** Lines it wrote to stderr, and log entries at error level or above. */
  readonly errors: string[];
}

/** The gateway package's folder, as this package depends on it: `bitcoim start` runs from its source. */
const CWD = dirname(createRequire(import.meta.url).resolve("@bitcoim/gateway/package.json"));

/** `logPath`: where to append every line it logs (for reading a run afterwards). */
export function gatewayProcess(configPath: string, logPath?: string): GatewayProcess {
  let proc: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const errors: string[] = [];

  function launch(): { ready: Promise<void> } {
    const args = ["--import", "tsx", "--conditions=@bitcoim/source", "src/cli.ts", "start"];
    const child = spawn(process.execPath, [...args, "--config", configPath], {
      cwd: CWD,
      stdio: ["ignore", "pipe", "pipe"],
    });
    proc = child;
    const reap = () => child.kill("SIGKILL");
    process.once("exit", reap);
    exited = new Promise((resolve) =>
      child.once("exit", () => {
        process.off("exit", reap);
        if (proc === child) proc = undefined;
        resolve();
      }),
    );
    child.stderr?.on("data", (c: Buffer) => errors.push(c.toString().trim()));
    const ready = new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on("line", (line) => {
        if (logPath) appendFileSync(logPath, `${line}\n`);
        let entry: { msg?: string; level?: number | string } = {};
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          return;
        }
        if (entry.msg === "running") resolve();
        if (typeof entry.level === "number" && entry.level >= 50) errors.push(line);
      });
      void exited.then(() => reject(new Error("the gateway exited before it was running")));
    });
    ready.catch(() => {});
    return { ready };
  }

  async function signal(name: NodeJS.Signals): Promise<void> {
    const child = proc;
    if (!child) return;
    child.kill(name);
    await exited;
  }

  return {
    async start() {
      if (proc) throw new Error("the gateway is already running");
      await launch().ready;
    },
    async startAndKillAfter(ms) {
      launch();
      await new Promise((resolve) => setTimeout(resolve, ms));
      await signal("SIGKILL");
    },
    kill: () => signal("SIGKILL"),
    async stop(graceMs = 30_000) {
      const child = proc;
      if (!child) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
    get running() {
      return proc !== undefined;
    },
    errors,
  };
}
