/**
 * `bitcoim start` as an OS process of its own, from source, for tests that
 * stop it the way a service manager does (SIGTERM) or the way a crash does
 * (SIGKILL). Resolves once it logs "running"; never outlives the test run.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface GatewayProcess {
  /** Its log lines, parsed. */
  readonly logs: Record<string, unknown>[];
  stderr(): string;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown at all. Resolves once the process is gone. */
  kill(): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

export async function spawnGateway(configPath: string): Promise<GatewayProcess> {
  const args = ["--import", "tsx", "--conditions=@bitcoim/source", "src/cli.ts", "start"];
  const proc = spawn(process.execPath, [...args, "--config", configPath], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", resolve));
  const signal = (name: NodeJS.Signals) => () => {
    proc.kill(name);
    return exited;
  };
  // Never leave it behind, even if the test process dies early.
  const reap = () => proc.kill("SIGKILL");
  process.once("exit", reap);
  void exited.then(() => process.off("exit", reap));
  let stderr = "";
  proc.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const logs: Record<string, unknown>[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: proc.stdout }).on("line", (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === "running") resolve();
    });
    void exited.then((code) => reject(new Error(`bitcoim start exited (${code}):\n${stderr}`)));
  });
  return {
    logs,
    stderr: () => stderr,
    stop: signal("SIGTERM"),
    kill: signal("SIGKILL"),
    exited,
  };
}
