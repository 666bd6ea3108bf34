/** Raw transaction methods and getblock / getrawmempool views of the same transactions. */
import type Client from "bitcoin-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { client, rpcError } from "./client.js";

let sandbox: Sandbox;
let node: Client;
let wallet: Client;
let txid: string;
let txHex: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  node = client(sandbox);
  await node.command("createwallet", "w");
  wallet = client(sandbox, "w");
  const miner = await wallet.command("getnewaddress");
  await node.command("generatetoaddress", 101, miner);
  txid = await wallet.command("sendtoaddress", await wallet.command("getnewaddress", "me"), 2);
  txHex = (await wallet.command("gettransaction", txid)).hex;
});
afterAll(async () => {
  await sandbox.close();
});

describe("raw transactions", () => {
  it("describes mempool transactions", async () => {
    const pool = await node.command("getrawmempool", true);
    expect(Object.keys(pool)).toEqual([txid]);
    // 141 vB as Core (low-R signatures); 140 when r or s happens to be short, as in Core.
    expect(pool[txid]).toMatchObject({ fees: { base: 0.0000282 } });
    expect([140, 141]).toContain(pool[txid]!.vsize);
    const decoded = await node.command("decoderawtransaction", txHex);
    expect(decoded.txid).toBe(txid);
    expect(decoded.vout.map((o: { value: number }) => o.value).sort()).toEqual([2, 47.9999718]);
    expect(await node.command("getrawtransaction", txid)).toBe(txHex);
  });

  it("re-broadcasts idempotently, refuses confirmed and malformed ones", async () => {
    expect(await node.command("sendrawtransaction", txHex)).toBe(txid);
    const [block] = await node.command(
      "generatetoaddress",
      1,
      await wallet.command("getnewaddress"),
    );
    const full = await node.command("getblock", block, 2);
    expect(full.tx.map((t: { txid: string }) => t.txid)).toContain(txid);
    expect(full.tx[1].fee).toBe(0.0000282);
    expect((await rpcError(node.command("sendrawtransaction", txHex))).code).toBe(-27);
    expect((await rpcError(node.command("sendrawtransaction", "00zz"))).code).toBe(-22);
  });

  it("reports unspent outputs with gettxout and null once spent", async () => {
    const out = await node.command("gettxout", txid, 0);
    expect(out).toMatchObject({ confirmations: 1, coinbase: false });
    const unspent = await wallet.command("listunspent");
    const coin = unspent.find((u: { txid: string }) => u.txid === txid);
    expect(await node.command("gettxout", txid, 5)).toBeNull();
    expect(coin.confirmations).toBe(1);
  });

  it("re-mines a reorged parent before its child still in the mempool", async () => {
    const me = await wallet.command("getnewaddress");
    await node.command("createwallet", "second");
    const second = client(sandbox, "second");
    const parent = await wallet.command("sendtoaddress", await second.command("getnewaddress"), 1);
    const [block] = await node.command("generatetoaddress", 1, me);
    // The second wallet's only coin is the parent's output. Lock time 0: a
    // send locked to the tip would be non-final below it, and dropped.
    const raw = await second.command("createrawtransaction", [], { [me]: 0.5 }, 0);
    const funded = await second.command("fundrawtransaction", raw);
    const signed = await second.command("signrawtransactionwithwallet", funded.hex);
    const child = await second.command("sendrawtransaction", signed.hex);
    expect((await node.command("getrawtransaction", child, true)).vin[0].txid).toBe(parent);
    await node.command("invalidateblock", block);
    expect((await node.command("getrawmempool")).sort()).toEqual([parent, child].sort());
    const [next] = await node.command("generatetoaddress", 1, me);
    expect((await node.command("getblock", next)).tx.slice(1)).toEqual([parent, child]);
    expect(await node.command("getrawmempool")).toEqual([]);
    expect(
      (await rpcError(node.command("invalidateblock", await node.command("getblockhash", 0)))).code,
    ).toBe(-1);
  });

  it("keeps a child in the mempool when reconsiderblock re-confirms only its parent", async () => {
    const me = await wallet.command("getnewaddress");
    const second = client(sandbox, "second");
    // A payment to itself: back in the mempool it is still trusted, so its outputs are spendable.
    const parent = await second.command(
      "sendtoaddress",
      await second.command("getnewaddress"),
      0.3,
    );
    const [block] = await node.command("generatetoaddress", 1, me);
    await node.command("invalidateblock", block);
    const child = await second.command("sendtoaddress", me, 0.4);
    expect((await node.command("getrawtransaction", child, true)).vin[0].txid).toBe(parent);
    await node.command("reconsiderblock", block);
    expect(await node.command("getbestblockhash")).toBe(block);
    expect(await node.command("getrawmempool")).toEqual([child]);
    expect((await second.command("gettransaction", parent)).confirmations).toBe(1);
  });

  it("reports chain tips and mempool entries", async () => {
    const tips = await node.command("getchaintips");
    expect(tips[0]).toMatchObject({ status: "active", branchlen: 0 });
    expect(tips).toContainEqual(expect.objectContaining({ status: "invalid", branchlen: 1 }));
    const [pending] = await node.command("getrawmempool");
    const poolEntry = await node.command("getmempoolentry", pending);
    expect(poolEntry.fees.base).toBeGreaterThan(0);
    expect(await node.command("getmempoolinfo")).toMatchObject({ loaded: true, size: 1 });
    expect((await rpcError(node.command("getmempoolentry", "00".repeat(32)))).code).toBe(-5);
  });
});
