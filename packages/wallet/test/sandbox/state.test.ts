/** Persistence: a sandbox restarted from its state file has the same chain, wallets and balances. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startSandbox } from "../../src/sandbox/index.js";
import { call, client } from "./client.js";

const dir = mkdtempSync(join(tmpdir(), "bitcoim-sandbox-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("stateFile", () => {
  it("survives a restart: chain, mempool, wallets, labels, comments and balances", async () => {
    const stateFile = join(dir, "state.json");
    const first = await startSandbox({ stateFile });
    await client(first).command("createwallet", "gw");
    await client(first).command("createwallet", "outside", false, false, "pw");
    const gw = client(first, "gw");
    const outside = client(first, "outside");
    const miner = await gw.command("getnewaddress", "miner");
    await client(first).command("generatetoaddress", 101, miner);
    const bob = await outside.command("getnewaddress", "bob@example.org");
    const txid = await gw.command("sendtoaddress", bob, 1, "w-9");
    const views = async (url: typeof first) => ({
      tip: (await call(url, "getbestblockhash", "[]")).text,
      mempool: (await call(url, "getrawmempool", "[]")).text,
      wallets: (await call(url, "listwallets", "[]")).text,
      gw: (await call(url, "getbalances", "[]", "/wallet/gw")).text,
      outside: (await call(url, "getbalances", "[]", "/wallet/outside")).text,
      sent: (await call(url, "gettransaction", `["${txid}"]`, "/wallet/gw")).text,
      labels: (await call(url, "listlabels", "[]", "/wallet/outside")).text,
      history: (await call(url, "listtransactions", '["*", 500]', "/wallet/gw")).text,
    });
    const before = await views(first);
    await first.close();
    expect(readdirSync(dir)).toEqual(["state.json"]);

    const second = await startSandbox({ stateFile });
    expect(await views(second)).toEqual(before);
    // Keys continue where they were (no address handed out twice), the encrypted wallet stays locked.
    expect(await client(second, "outside").command("getnewaddress")).not.toBe(bob);
    await expect(
      client(second, "outside").command("sendtoaddress", miner, 0.1),
    ).rejects.toMatchObject({
      code: -13,
    });
    await client(second).command("generatetoaddress", 1, miner);
    expect((await client(second, "outside").command("getbalances")).mine.trusted).toBe(1);
    await second.close();
  });

  it("fails at start when the state file cannot be written", async () => {
    await expect(
      startSandbox({ stateFile: join(dir, "missing", "state.json") }),
    ).rejects.toMatchObject({
      code: "SANDBOX_STATE_UNWRITABLE",
    });
  });

  it("refuses an unreadable state file with a coded error", async () => {
    const stateFile = join(dir, "broken.json");
    writeFileSync(stateFile, "{not json");
    await expect(startSandbox({ stateFile })).rejects.toMatchObject({
      code: "SANDBOX_STATE_UNREADABLE",
    });
  });
});
