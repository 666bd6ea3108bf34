/** The bitcoim-sandbox command: help, the URL it prints, clean stop on SIGTERM. */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { call } from "./client.js";

const BIN = fileURLToPath(new URL("../../src/sandbox/bin.ts", import.meta.url));

function run(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", BIN, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  return { child, output: () => out };
}

describe("bitcoim-sandbox", () => {
  it("prints its help", async () => {
    const { child, output } = run(["--help"]);
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(output()).toContain("--state FILE");
  });

  it("prints the URL, serves RPC and stops cleanly on SIGTERM", async () => {
    const { child, output } = run(["--port", "0", "--user", "u", "--password", "p"]);
    while (!/listening on (\S+)/.test(output())) await once(child.stdout, "data");
    const url = /listening on (\S+)/.exec(output())?.[1] as string;
    const port = Number(new URL(url).port);
    const reply = await call(
      { url, port, user: "u", password: "p", close: async () => {} },
      "getblockcount",
      "[]",
    );
    expect(reply.text).toBe('{"result":0,"error":null,"id":1}\n');
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(output()).toContain("stopped");
  });
});
