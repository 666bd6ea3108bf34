import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../src/main.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  return { out, err };
}

afterEach(() => vi.restoreAllMocks());

describe("bitcoim CLI", () => {
  it("demo creates the embedded database in the state directory, then finds it up to date", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "bitcoim-cli-"));
    const first = capture();
    expect(await main(["demo"], { BITCOIM_STATE_DIR: stateDir })).toBe(0);
    expect(first.out.join("\n")).toContain(`pglite:${join(stateDir, "db")} (embedded default)`);
    expect(first.out.join("\n")).toMatch(/migrations applied: 0000_initial/);
    vi.restoreAllMocks();
    const second = capture();
    expect(await main(["demo"], { BITCOIM_STATE_DIR: stateDir })).toBe(0);
    expect(second.out.join("\n")).toMatch(/schema already up to date/);
  });

  it("migrate with a malformed URL exits 69 naming the problem", async () => {
    const { err } = capture();
    expect(await main(["migrate"], { BITCOIM_DATABASE_URL: "mysql://x/y" })).toBe(69);
    expect(err.join("\n")).toMatch(/unsupported database scheme "mysql:".*\[DB_URL_INVALID\]/);
  });

  it("an unknown command exits 64 with the usage", async () => {
    const { err } = capture();
    expect(await main(["frobnicate"], {})).toBe(64);
    expect(err.join("\n")).toMatch(/Unknown command "frobnicate"[\s\S]*Usage: bitcoim/);
  });
});
