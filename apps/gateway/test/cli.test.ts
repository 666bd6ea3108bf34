import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabaseOn, usePostgresServer } from "@bitcoim/db/testing";
import { createBitcoinNode } from "@bitcoim/wallet";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../src/main.js";
import { captureIo, tempDir, tempFile } from "./helpers.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  return { out, err };
}

afterEach(() => vi.restoreAllMocks());

const postgresUrl = usePostgresServer({ beforeAll, afterAll });

describe("bitcoim CLI", () => {
  it("migrate creates the embedded database in the state directory, then finds it up to date", async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "bitcoim-cli-"));
    const first = capture();
    expect(await main(["migrate"], { BITCOIM_STATE_DIR: stateDir })).toBe(0);
    expect(first.out.join("\n")).toContain(`pglite:${join(stateDir, "db")} (embedded default)`);
    expect(first.out.join("\n")).toMatch(/migrations applied: 0000_initial/);
    vi.restoreAllMocks();
    const second = capture();
    expect(await main(["migrate"], { BITCOIM_STATE_DIR: stateDir })).toBe(0);
    expect(second.out.join("\n")).toMatch(/schema already up to date/);
  });

  it("migrate with a malformed URL exits 69 naming the problem", async () => {
    const { err } = capture();
    expect(await main(["migrate"], { BITCOIM_DATABASE_URL: "mysql://x/y" })).toBe(69);
    expect(err.join("\n")).toMatch(/unsupported database scheme "mysql:".*\[DB_URL_INVALID\]/);
  });

  it("migrate takes the database from --config, its secret from a file, then finds it current", async () => {
    const url = await createDatabaseOn(postgresUrl());
    const secret = await tempFile(`${url}\n`, "db-url");
    const path = await tempFile(`[database]\nurl_file = "${secret}"\n`);
    const io = captureIo();
    expect(await main(["migrate", "--config", path], {}, { io })).toBe(0);
    expect(io.text()).toMatch(/database: postgres:\/\/postgres:\*\*\*@.*\(postgres\)/);
    expect(io.text()).toMatch(/migrations applied: 0000_initial/);
    const again = captureIo();
    expect(await main(["migrate"], { BITCOIM_CONFIG: path }, { io: again })).toBe(0);
    expect(again.text()).toMatch(/schema already up to date/);
    const missing = captureIo();
    expect(await main(["migrate", "-c", "/nonexistent.toml"], {}, { io: missing })).toBe(78);
    expect(missing.errors.join("\n")).toMatch(
      /cannot read the configuration file.*\[CONFIG_NOT_FOUND\]/,
    );
  });

  it("an unknown command exits 64 with the usage", async () => {
    const { err } = capture();
    expect(await main(["frobnicate"], {})).toBe(64);
    expect(err.join("\n")).toMatch(/Unknown command "frobnicate"[\s\S]*Usage: bitcoim/);
  });

  it("has --help everywhere, and refuses unknown options with 64", async () => {
    const io = captureIo();
    expect(await main(["--help"], {}, { io })).toBe(0);
    for (const name of ["start", "migrate", "doctor", "sandbox", "demo"]) {
      expect(io.text()).toMatch(new RegExp(`^  ${name} `, "m"));
      const one = captureIo();
      expect(await main([name, "--help"], {}, { io: one })).toBe(0);
      expect(one.text()).toMatch(new RegExp(`^Usage: bitcoim ${name}`));
      const topic = captureIo();
      expect(await main(["help", name], {}, { io: topic })).toBe(0);
      expect(topic.text()).toBe(one.text());
    }
    const bad = captureIo();
    expect(await main(["doctor", "--frobnicate"], {}, { io: bad })).toBe(64);
    expect(bad.errors.join("\n")).toMatch(/--frobnicate[\s\S]*Usage: bitcoim doctor/);
    const port = captureIo();
    expect(await main(["sandbox", "--port", "http"], {}, { io: port })).toBe(64);
  });

  it("sandbox runs a chain the printed settings reach, until stopped, keeping --state", async () => {
    const state = join(await tempDir(), "chain.json");
    const abort = new AbortController();
    const io = captureIo();
    const running = main(
      ["sandbox", "--port", "0", "--state", state],
      {},
      { io, signal: abort.signal },
    );
    const url = (await io.waitFor(/^url = /)).slice('url = "'.length, -1);
    expect(io.text()).toMatch(/network = "regtest"[\s\S]*wallet = "bitcoim"/);
    const wallet = createBitcoinNode({
      url,
      user: "bitcoim",
      password: "bitcoim",
      wallet: "bitcoim",
    });
    const address = await wallet.getNewAddress("");
    await wallet.call("generatetoaddress", [1, address]);
    // A second sandbox on the same port: 69, saying so.
    const taken = captureIo();
    const port = new URL(url).port;
    expect(await main(["sandbox", "--port", port], {}, { io: taken })).toBe(69);
    expect(taken.errors.join("\n")).toMatch(
      new RegExp(`port ${port} is in use.*\\[UNAVAILABLE\\]`),
    );
    abort.abort();
    expect(await running).toBe(0);
    expect(io.lines.at(-1)).toBe("sandbox stopped");
    // Restarted on its state file, it still has the block and the wallet.
    const again = new AbortController();
    const io2 = captureIo();
    const second = main(
      ["sandbox", "-p", "0", "--state", state],
      {},
      { io: io2, signal: again.signal },
    );
    const url2 = (await io2.waitFor(/^url = /)).slice('url = "'.length, -1);
    const node = createBitcoinNode({
      url: url2,
      user: "bitcoim",
      password: "bitcoim",
      wallet: "bitcoim",
    });
    expect((await node.getBlockchainInfo()).blocks).toBe(1);
    expect((await node.getAddressInfo(address)).isMine).toBe(true);
    again.abort();
    expect(await second).toBe(0);
  });
});
