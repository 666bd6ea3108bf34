/**
 * A database that stops answering without closing its connections (a frozen
 * VM, a cut that sends no reset) leaves a query waiting forever: no timeout
 * of the driver ends it. The gateway notices its loop stuck (`stuck_after`)
 * and exits with 75, so that its service manager starts it afresh; started
 * again on the thawed database, it runs as before.
 */
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startTestPostgres, type TestPostgres } from "@bitcoim/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoWorld, setUpDemo } from "../src/demo/setup.js";

let pg: TestPostgres;
let world: DemoWorld;
let thaw = () => {};
beforeAll(async () => {
  pg = await startTestPostgres();
  const url = await pg.createDatabase("stuck");
  world = await setUpDemo(["alice"], {
    gateway: `poll_interval = 1\nstuck_after = 10\n\n[database]\nurl = "${url}"`,
  });
  // "running" and the stuck job's line are what the test reads in the log.
  const toml = await readFile(world.configPath, "utf8");
  await writeFile(world.configPath, toml.replace('log_level = "warning"', 'log_level = "info"'));
}, 120_000);
afterAll(async () => {
  thaw(); // a test that timed out never reached its own
  await world?.close();
  await pg?.stop();
});

describe("a database that freezes under a running gateway", () => {
  it("ends the process with 75 once a loop is stuck, and a fresh start runs", async () => {
    const first = startGateway(world.configPath);
    await first.running;
    thaw = pg.freeze();
    let code: number | null;
    try {
      code = await first.exited;
    } finally {
      thaw();
      thaw = () => {};
    }
    expect(code).toBe(75);
    expect(first.logs.some((l) => l.msg === "a job is stuck; exiting to be started afresh")).toBe(
      true,
    );
    expect(first.stderr()).toMatch(/has not finished in 10 s \(stuck_after\).*\[JOB_STUCK\]/);

    const second = startGateway(world.configPath);
    await second.running;
    second.terminate();
    expect(await second.exited).toBe(0);
  }, 90_000);
});

/** `bitcoim start` as an OS process of its own, from source. */
function startGateway(configPath: string) {
  const args = ["--import", "tsx", "--conditions=@bitcoim/source", "src/cli.ts", "start"];
  const proc = spawn(process.execPath, [...args, "--config", configPath], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const reap = () => proc.kill("SIGKILL");
  process.once("exit", reap);
  const exited = new Promise<number | null>((resolve) =>
    proc.once("exit", (code) => {
      process.off("exit", reap);
      resolve(code);
    }),
  );
  let stderr = "";
  proc.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const logs: { msg?: string }[] = [];
  const running = new Promise<void>((resolve, reject) => {
    createInterface({ input: proc.stdout }).on("line", (line) => {
      const entry = JSON.parse(line) as { msg?: string };
      logs.push(entry);
      if (entry.msg === "running") resolve();
    });
    void exited.then((code) => reject(new Error(`bitcoim start exited (${code}):\n${stderr}`)));
  });
  return {
    running,
    exited,
    logs,
    stderr: () => stderr,
    terminate: () => proc.kill("SIGTERM"),
  };
}
