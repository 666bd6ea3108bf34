/** A wallet payment double-spent by a mined transaction: negative confirmations, as Core. */
import type Client from "bitcoin-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { client, rpcError } from "./client.js";

let sandbox: Sandbox;
let node: Client;
let wallet: Client;
let miner: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  node = client(sandbox);
  await node.command("createwallet", "w");
  wallet = client(sandbox, "w");
  miner = await wallet.command("getnewaddress");
  await node.command("generatetoaddress", 101, miner);
});
afterAll(async () => {
  await sandbox.close();
});

/** A transaction of the wallet's spending `input` again, paying `to` instead. */
async function doubleSpend(input: { txid: string; vout: number }, to: string, btc: number) {
  const draft = await node.command("createrawtransaction", [input], [{ [to]: btc }]);
  const signed = await wallet.command("signrawtransactionwithwallet", draft);
  return signed as { hex: string; complete: boolean };
}

describe("generateblock and conflicted wallet transactions", () => {
  it("mines a double spend over the mempool; the payment shows minus its depth", async () => {
    const away = await wallet.command("getnewaddress");
    const paid = await wallet.command("sendtoaddress", away, 1);
    const input = (await node.command("getrawtransaction", paid, true)).vin[0];
    const other = await doubleSpend({ txid: input.txid, vout: input.vout }, miner, 49.99);
    // Signed although the mempool spends that coin already, as Core does.
    expect(other.complete).toBe(true);
    expect((await rpcError(node.command("sendrawtransaction", other.hex))).code).toBe(-25);
    const { hash } = await node.command("generateblock", miner, [other.hex]);
    expect((await node.command("getblock", hash)).tx).toHaveLength(2);
    expect(await node.command("getrawmempool")).toEqual([]);

    const tx = await wallet.command("gettransaction", paid);
    expect(tx.confirmations).toBe(-1);
    expect(tx.trusted).toBe(false);
    expect(tx.walletconflicts).toHaveLength(1);
    await node.command("generatetoaddress", 1, miner);
    expect((await wallet.command("gettransaction", paid)).confirmations).toBe(-2);
    const listed = await wallet.command("listsinceblock");
    const entry = listed.transactions.find(
      (t: { txid: string; category: string }) => t.txid === paid && t.category === "send",
    );
    expect(entry.confirmations).toBe(-2);

    // The conflict reorged out: back in the mempool, the payment is merely unconfirmed.
    await node.command("invalidateblock", hash);
    expect((await wallet.command("gettransaction", paid)).confirmations).toBe(0);
    await node.command("reconsiderblock", hash);
    expect((await wallet.command("gettransaction", paid)).confirmations).toBe(-2);
  });

  it("refuses a block spending what is not there, and an unknown txid", async () => {
    const { hex, complete } = await doubleSpend({ txid: "ab".repeat(32), vout: 0 }, miner, 1);
    expect(complete).toBe(false);
    expect(await rpcError(node.command("generateblock", miner, [hex]))).toEqual({
      code: -25,
      message: "TestBlockValidity failed: bad-txns-inputs-missingorspent",
    });
    expect((await rpcError(node.command("generateblock", miner, ["cd".repeat(32)]))).code).toBe(-5);
  });
});
