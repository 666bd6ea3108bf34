/**
 * A database that stops answering without closing its connections (a frozen
 * VM, a cut that sends no reset) leaves a query waiting forever: no timeout
 * of the driver ends it. The gateway notices its loop stuck (`stuck_after`)
 * and exits with 75, so that its service manager starts it afresh; started
 * again on the thawed database, it runs as before.
 */
import { readFile, writeFile } from "node:fs/promises";
import { startTestPostgres, type TestPostgres } from "@bitcoim/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoWorld, setUpDemo } from "../src/demo/setup.js";
import { spawnGateway } from "./gateway-process.js";

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
    const first = await spawnGateway(world.configPath);
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

    const second = await spawnGateway(world.configPath);
    expect(await second.stop()).toBe(0);
  }, 90_000);
});
