/** Wallets, mining, payments and reorgs through the real bitcoin-core client. */

import { hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";
import type Client from "bitcoin-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { call, client, rpcError } from "./client.js";

let sandbox: Sandbox;
let node: Client;
let gw: Client;
let outside: Client;
let minerAddress: string;

interface Entry {
  category: string;
  amount: number;
  fee?: number;
  txid: string;
  confirmations: number;
  label?: string;
  comment?: string;
  to?: string;
}

beforeAll(async () => {
  sandbox = await startSandbox();
  node = client(sandbox);
  gw = client(sandbox, "gw");
  outside = client(sandbox, "outside");
  expect(await node.command("listwallets")).toEqual([]);
  await node.command("createwallet", "gw");
  await node.command("createwallet", "outside");
  minerAddress = await outside.command("getnewaddress");
});
afterAll(async () => {
  await sandbox.close();
});

describe("multiwallet", () => {
  it("needs the wallet in the URL once two wallets are loaded (-19), and knows loaded ones (-18)", async () => {
    expect(await rpcError(node.command("getbalances"))).toMatchObject({ code: -19 });
    expect(await rpcError(client(sandbox, "nope").command("getbalances"))).toEqual({
      code: -18,
      message: "Requested wallet does not exist or is not loaded",
    });
  });

  it("refuses to create an existing wallet (-4) and unloads / reloads", async () => {
    expect((await rpcError(node.command("createwallet", "gw"))).code).toBe(-4);
    await node.command("createwallet", "spare");
    expect(await node.command("unloadwallet", "spare")).toEqual({});
    expect(await node.command("listwallets")).toEqual(["gw", "outside"]);
    expect(await node.command("loadwallet", "spare")).toEqual({ name: "spare" });
    expect((await rpcError(node.command("loadwallet", "ghost"))).code).toBe(-18);
    await node.command("unloadwallet", "spare");
  });
});

describe("mining and maturity", () => {
  it("matures a coinbase after 100 more blocks", async () => {
    const hashes: string[] = await node.command("generatetoaddress", 101, minerAddress);
    expect(hashes).toHaveLength(101);
    expect(await node.command("getblockcount")).toBe(101);
    const b = await call(sandbox, "getbalances", "[]", "/wallet/outside");
    expect(JSON.parse(b.text).result.mine).toEqual({
      trusted: 50,
      untrusted_pending: 0,
      immature: 5000,
    });
    expect(b.text).toContain(
      '"trusted":50.00000000,"untrusted_pending":0.00000000,"immature":5000.00000000',
    );
    const list: Entry[] = await outside.command("listtransactions", "*", 200);
    expect(list.filter((e) => e.category === "generate")).toHaveLength(1);
    expect(list.filter((e) => e.category === "immature")).toHaveLength(100);
  });

  it("builds real blocks: header hash, merkle root and coinbase commit to their contents", async () => {
    const tip: string = await node.command("getbestblockhash");
    const block = await node.command("getblock", tip, 2);
    expect(block.hash).toBe(tip);
    const coinbase = Transaction.fromRaw(hex.decode(block.tx[0].hex), {
      allowUnknownOutputs: true,
    });
    expect(coinbase.id).toBe(block.tx[0].txid);
    const header = await node.command("getblockheader", tip, false);
    expect(header).toHaveLength(160);
  });
});

describe("payments", () => {
  let alice: string;
  let txid: string;
  let tipBefore: string;

  it("pays with change and a fee from the real vsize at the fallback rate", async () => {
    alice = await gw.command("getnewaddress", "alice@example.org", "bech32");
    tipBefore = await node.command("getbestblockhash");
    txid = await outside.command("sendtoaddress", alice, 1.5, "w-1", "alice");
    expect(await node.command("getrawmempool")).toEqual([txid]);
    const sent = await call(sandbox, "gettransaction", `["${txid}"]`, "/wallet/outside");
    // One P2WPKH input, two P2WPKH outputs: 141 vB × 20 sat/vB, written as Core writes it.
    expect(sent.text).toContain('"amount":-1.50000000,"fee":-0.00002820');
    const tx = Transaction.fromRaw(hex.decode(JSON.parse(sent.text).result.hex));
    expect(tx.id).toBe(txid);
    expect(tx.outputsLength).toBe(2);
  });

  it("shows comments on the sending side only, as send / receive in the two wallets", async () => {
    const sent: Entry[] = (await outside.command("listsinceblock", tipBefore)).transactions;
    expect(sent).toEqual([
      expect.objectContaining({
        category: "send",
        amount: -1.5,
        fee: -0.0000282,
        comment: "w-1",
        to: "alice",
      }),
    ]);
    const got: Entry[] = (await gw.command("listsinceblock", tipBefore)).transactions;
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      category: "receive",
      amount: 1.5,
      label: "alice@example.org",
      confirmations: 0,
    });
    expect(got[0]).not.toHaveProperty("comment");
    expect(await gw.command("getreceivedbylabel", "alice@example.org", 0)).toBe(1.5);
    expect(await gw.command("getreceivedbylabel", "alice@example.org")).toBe(0);
  });

  it("confirms on the next block and moves the balance from pending to trusted", async () => {
    expect((await gw.command("getbalances")).mine.untrusted_pending).toBe(1.5);
    const [block] = await node.command("generatetoaddress", 1, minerAddress);
    expect(await node.command("getrawmempool")).toEqual([]);
    const since = await gw.command("listsinceblock", tipBefore);
    expect(since.lastblock).toBe(block);
    expect(since.transactions[0]).toMatchObject({
      confirmations: 1,
      blockhash: block,
      blockheight: 102,
    });
    expect((await gw.command("listsinceblock", block)).transactions).toEqual([]);
    expect((await gw.command("getbalances")).mine).toEqual({
      trusted: 1.5,
      untrusted_pending: 0,
      immature: 0,
    });
  });

  it("reorgs: invalidateblock lists the payment as removed and puts it back in the mempool", async () => {
    const block: string = await node.command("getbestblockhash");
    await node.command("invalidateblock", block);
    expect(await node.command("getbestblockhash")).toBe(tipBefore);
    expect(await node.command("getrawmempool")).toEqual([txid]);
    const since = await gw.command("listsinceblock", block);
    expect(since.removed).toEqual([expect.objectContaining({ txid, confirmations: 0 })]);
    expect(since.transactions).toEqual([expect.objectContaining({ txid, confirmations: 0 })]);
    expect(since.lastblock).toBe(tipBefore);
    expect((await gw.command("gettransaction", txid)).confirmations).toBe(0);
    await node.command("reconsiderblock", block);
    expect(await node.command("getbestblockhash")).toBe(block);
    expect(await node.command("getrawmempool")).toEqual([]);
    expect((await gw.command("gettransaction", txid)).blockhash).toBe(block);
  });

  it("pays an explicit fee_rate and can subtract the fee from the amount", async () => {
    const a = await gw.command("getnewaddress");
    const named = `{"address":"${a}","amount":"0.25","fee_rate":5}`;
    const t1 = JSON.parse(
      (await call(sandbox, "sendtoaddress", named, "/wallet/outside")).text,
    ).result;
    expect((await outside.command("gettransaction", t1)).fee).toBe(-0.00000705);
    const t2 = await outside.command("sendtoaddress", a, 0.5, "", "", true);
    const received = await gw.command("gettransaction", t2);
    const sent = await outside.command("gettransaction", t2);
    expect(received.amount).toBeCloseTo(0.5 + sent.fee, 8);
    expect(sent.amount).toBe(-received.amount);
    const both = `{"address":"${a}","amount":0.1,"conf_target":6,"fee_rate":5}`;
    const refused = await call(sandbox, "sendtoaddress", both, "/wallet/outside");
    expect(JSON.parse(refused.text).error.code).toBe(-8);
  });

  it("refuses dust, bad amounts, bad addresses and more than the balance", async () => {
    const legacy = await gw.command("getnewaddress", "", "legacy");
    const segwit = await gw.command("getnewaddress", "", "bech32");
    const fails = async (address: string, amount: unknown) =>
      rpcError(outside.command("sendtoaddress", address, amount));
    expect(await fails(legacy, "0.00000545")).toEqual({
      code: -6,
      message: "Transaction amount too small",
    });
    expect(typeof (await outside.command("sendtoaddress", segwit, "0.00000545"))).toBe("string");
    expect(await fails(segwit, "0.123456789")).toEqual({ code: -3, message: "Invalid amount" });
    expect(await fails(segwit, 21000001)).toEqual({ code: -3, message: "Amount out of range" });
    expect(await fails(segwit, -1)).toEqual({ code: -3, message: "Amount out of range" });
    expect(await fails(segwit, "abc")).toEqual({ code: -3, message: "Invalid amount" });
    expect(await fails(segwit, 0)).toEqual({ code: -6, message: "Transaction amount too small" });
    expect(await fails(segwit, 100000)).toEqual({ code: -6, message: "Insufficient funds" });
    const mainnet = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
    expect(await fails(mainnet, 0.1)).toEqual({
      code: -5,
      message: `Invalid Bitcoin address: ${mainnet}`,
    });
  });

  it("reads amounts exactly, exponent notation included", async () => {
    const a = await gw.command("getnewaddress");
    const r = await call(sandbox, "sendtoaddress", `["${a}", 1e-5]`, "/wallet/outside");
    const id = JSON.parse(r.text).result as string;
    const tx = await call(sandbox, "gettransaction", `["${id}"]`, "/wallet/gw");
    expect(tx.text).toContain('"amount":0.00001000');
  });

  it("sends to many addresses in one transaction with sendmany", async () => {
    const amounts: Record<string, string> = {};
    for (let i = 0; i < 20; i++) amounts[await gw.command("getnewaddress", `bulk${i}`)] = "0.001";
    const before: string = await node.command("getbestblockhash");
    const id = await outside.command("sendmany", "", amounts, 1, "bulk");
    await node.command("generatetoaddress", 1, minerAddress);
    const got: Entry[] = (await gw.command("listsinceblock", before)).transactions;
    expect(got.filter((e) => e.txid === id)).toHaveLength(20);
    expect(await gw.command("getreceivedbylabel", "bulk7")).toBe(0.001);
  });
});

describe("labels and addresses", () => {
  it("gives addresses of every type and tracks labels", async () => {
    const types = { legacy: /^[mn]/, "p2sh-segwit": /^2/, bech32: /^bcrt1q/, bech32m: /^bcrt1p/ };
    for (const [type, pattern] of Object.entries(types)) {
      const a: string = await gw.command("getnewaddress", "carol@example.org", type);
      expect(a).toMatch(pattern);
      const info = await gw.command("getaddressinfo", a);
      expect(info).toMatchObject({ ismine: true, labels: ["carol@example.org"] });
      expect((await node.command("validateaddress", a)).isvalid).toBe(true);
    }
    expect(Object.keys(await gw.command("getaddressesbylabel", "carol@example.org"))).toHaveLength(
      4,
    );
    expect(await gw.command("listlabels")).toContain("carol@example.org");
    expect(await rpcError(gw.command("getnewaddress", "*"))).toEqual({
      code: -11,
      message: "Invalid label name",
    });
    expect(await rpcError(gw.command("getnewaddress", "x", "p2pk"))).toEqual({
      code: -5,
      message: "Unknown address type 'p2pk'",
    });
    expect((await rpcError(gw.command("getaddressesbylabel", "nobody"))).code).toBe(-11);
    expect(await rpcError(gw.command("getreceivedbylabel", "nobody"))).toEqual({
      code: -4,
      message: "Label not found in wallet",
    });
  });
});

describe("encrypted wallets", () => {
  it("locks sends but not new addresses (-13 / -14 / -15)", async () => {
    await call(sandbox, "createwallet", '{"wallet_name":"locked","passphrase":"pw"}');
    const locked = client(sandbox, "locked");
    const address = await locked.command("getnewaddress");
    await outside.command("sendtoaddress", address, 2);
    await node.command("generatetoaddress", 1, minerAddress);
    expect((await rpcError(locked.command("sendtoaddress", minerAddress, 0.1))).code).toBe(-13);
    expect((await rpcError(locked.command("walletpassphrase", "bad", 10))).code).toBe(-14);
    expect(await locked.command("walletpassphrase", "pw", 10)).toBeNull();
    expect((await locked.command("getwalletinfo")).unlocked_until).toBeGreaterThan(0);
    expect(typeof (await locked.command("sendtoaddress", minerAddress, 0.1))).toBe("string");
    await locked.command("walletlock");
    expect((await locked.command("getwalletinfo")).unlocked_until).toBe(0);
    expect((await rpcError(locked.command("sendtoaddress", minerAddress, 0.1))).code).toBe(-13);
    expect((await rpcError(gw.command("walletpassphrase", "pw", 10))).code).toBe(-15);
    expect((await rpcError(locked.command("encryptwallet", "again"))).code).toBe(-15);
    await node.command("unloadwallet", "locked");
  });

  it("encrypts an existing wallet with encryptwallet", async () => {
    await node.command("createwallet", "later");
    const later = client(sandbox, "later");
    expect(await later.command("encryptwallet", "secret")).toMatch(/^wallet encrypted/);
    expect((await later.command("getwalletinfo")).unlocked_until).toBe(0);
    expect((await rpcError(later.command("sendtoaddress", minerAddress, 0.1))).code).toBe(-13);
    expect(await later.command("walletlock")).toBeNull();
    expect((await rpcError(later.command("walletpassphrase", "", 1))).code).toBe(-8);
    await node.command("unloadwallet", "later");
  });
});

describe("stop", () => {
  it("answers stop and then shuts down", async () => {
    const other = await startSandbox();
    expect(await client(other).command("stop")).toBe("Bitcoin Core stopping");
    await expect(client(other).command("getblockcount")).rejects.toThrow();
    await other.close();
  });
});
