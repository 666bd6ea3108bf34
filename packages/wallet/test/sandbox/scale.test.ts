/**
 * Scale: one block with 2,000 receives to one wallet, then listing and
 * spending them. Guards against work that grows quadratically with the wallet.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { client, raw } from "./client.js";

const RECEIVES = 2000;
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

describe("a wallet with 2,000 receives in one block", () => {
  it("creates, mines, lists and spends them in seconds", async () => {
    const node = client(sandbox);
    await node.command("createwallet", "gw");
    await node.command("createwallet", "outside");
    const outside = client(sandbox, "outside");
    const gw = client(sandbox, "gw");
    const miner = await outside.command("getnewaddress");
    await node.command("generatetoaddress", 101, miner);
    const started = Date.now();
    // One batch request of 2,000 labelled getnewaddress calls.
    const batch = Array.from({ length: RECEIVES }, (_, i) => ({
      jsonrpc: "2.0",
      id: i,
      method: "getnewaddress",
      params: [`user${i}@example.org`],
    }));
    const reply = await raw(sandbox, JSON.stringify(batch), { path: "/wallet/gw" });
    const addresses = (JSON.parse(reply.text) as { result: string }[]).map((r) => r.result);
    expect(new Set(addresses).size).toBe(RECEIVES);
    const amounts = Object.fromEntries(addresses.map((a) => [a, "0.001"]));
    const tip: string = await node.command("getbestblockhash");
    await outside.command("sendmany", "", amounts);
    const [block] = await node.command("generatetoaddress", 1, miner);
    expect((await node.command("getblock", block)).nTx).toBe(2);
    const since = await gw.command("listsinceblock", tip);
    expect(since.transactions).toHaveLength(RECEIVES);
    expect(await gw.command("getreceivedbylabel", "user1999@example.org")).toBe(0.001);
    expect((await gw.command("getbalances")).mine.trusted).toBe(2);
    expect(await gw.command("listlabels")).toHaveLength(RECEIVES);
    // Spending 1.5 BTC of 0.001 coins takes 1,500+ inputs.
    const spend = await gw.command("sendtoaddress", miner, 1.5);
    expect((await gw.command("gettransaction", spend)).fee).toBeLessThan(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);
});
