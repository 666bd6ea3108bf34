import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const here = fileURLToPath(new URL("..", import.meta.url));

describe("payments without XMPP", () => {
  it("registers, deposits, pays internally and on-chain, and prints balances and history", async () => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "--conditions=@bitcoim/source", "src/main.ts"],
      { cwd: here },
    );
    expect(stdout).toMatch(/deposit credited: 0\.5 BTC to alice@example\.org/);
    expect(stdout).toMatch(/payment \w{4} completed\n/);
    expect(stdout).toMatch(/payment \w{4} completed on-chain, txid [0-9a-f]{64}/);
    expect(stdout).toMatch(/^alice: 0\.3499\d* BTC$/m);
    expect(stdout).toMatch(/^bob: 0\.1 BTC$/m);
    expect(stdout).toMatch(/^ {2}transfer -0\.1 bob rent$/m);
    expect(stdout).toMatch(/^ {2}send -0\.0500\d+ bcrt1\w+ shopping$/m);
    expect(stdout).toMatch(/ledger audit: ok/);
  });

  it("has no XMPP package anywhere in its dependency tree", async () => {
    const args = [
      "list",
      "--filter",
      "@bitcoim/example-payments",
      "--prod",
      "--depth",
      "Infinity",
      "--json",
    ];
    const { stdout } = await run("pnpm", args, {
      cwd: here,
      maxBuffer: 64 * 1024 * 1024,
    });
    const names = new Set<string>();
    const walk = (deps: Record<string, { dependencies?: Record<string, unknown> }> = {}) => {
      for (const [name, dep] of Object.entries(deps)) {
        if (names.has(name)) continue;
        names.add(name);
        walk(dep.dependencies as never);
      }
    };
    const projects = JSON.parse(stdout) as { name: string; dependencies?: never }[];
    expect(projects.map((p) => p.name)).toEqual(["@bitcoim/example-payments"]);
    walk(projects[0]!.dependencies);
    expect(names).toContain("@bitcoim/orders");
    expect(names).toContain("drizzle-orm");
    expect([...names].filter((n) => n.startsWith("@xmpp/") || n.includes("xmpp"))).toEqual([]);
  });
});
