/** A payment built in steps: create, fund (with locks), sign, broadcast under a fee cap. */
import type Client from "bitcoin-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { client, rpcError } from "./client.js";

let sandbox: Sandbox;
let node: Client;
let wallet: Client;
let outside: string;

interface Funded {
  hex: string;
  fee: number;
  changepos: number;
}

const fund = (amount: number, options: Record<string, unknown>) =>
  wallet
    .command("createrawtransaction", [], [{ [outside]: amount }])
    .then((hex: string) =>
      wallet.command("fundrawtransaction", hex, options, false),
    ) as Promise<Funded>;

beforeAll(async () => {
  sandbox = await startSandbox();
  node = client(sandbox);
  await node.command("createwallet", "w");
  await node.command("createwallet", "outside");
  wallet = client(sandbox, "w");
  outside = await client(sandbox, "outside").command("getnewaddress");
  // Three mature 50 BTC coins.
  await node.command("generatetoaddress", 3, await wallet.command("getnewaddress"));
  await node.command("generatetoaddress", 100, outside);
});
afterAll(async () => {
  await sandbox.close();
});

describe("fundrawtransaction", () => {
  it("funds at the given rate and answers the exact fee", async () => {
    const funded = await fund(1, { fee_rate: 10 });
    const decoded = await node.command("decoderawtransaction", funded.hex);
    // Unsigned: Core's estimate of the signed size is what the fee pays for.
    expect(decoded.vin).toHaveLength(1);
    expect(decoded.vout).toHaveLength(2);
    expect(decoded.vout[funded.changepos].value).toBeCloseTo(49 - funded.fee, 8);
    expect(Math.round(funded.fee * 1e8)).toBe(10 * 141);
  });

  it("locks what it chose, so concurrent funding picks other coins", async () => {
    const a = await fund(1, { fee_rate: 2, lockUnspents: true });
    const b = await fund(1, { fee_rate: 2, lock_unspents: true });
    const locked = await wallet.command("listlockunspent");
    expect(locked).toHaveLength(2);
    const inputs = async (f: Funded) =>
      (await node.command("decoderawtransaction", f.hex)).vin[0].txid as string;
    expect(await inputs(a)).not.toBe(await inputs(b));
    await fund(1, { fee_rate: 2, lockUnspents: true });
    const none = await rpcError(fund(1, { fee_rate: 2 }));
    expect(none).toEqual({ code: -4, message: "Insufficient funds" });
    expect(await wallet.command("lockunspent", true)).toBe(true);
    expect(await wallet.command("listlockunspent")).toEqual([]);
  });

  it("refuses contradictory or unknown options", async () => {
    expect((await rpcError(fund(1, { fee_rate: 2, feeRate: 0.0001 }))).code).toBe(-8);
    expect(await rpcError(fund(1, { feerate: 2 }))).toEqual({
      code: -3,
      message: "Unexpected key feerate",
    });
    expect((await rpcError(fund(1, { fee_rate: 0.5 }))).code).toBe(-4);
  });
});

describe("signrawtransactionwithwallet and sendrawtransaction", () => {
  it("signs, refuses a fee over maxfeerate, then broadcasts into the wallet", async () => {
    const funded = await fund(2, { fee_rate: 25, lockUnspents: true });
    const signed = await wallet.command("signrawtransactionwithwallet", funded.hex);
    expect(signed.complete).toBe(true);
    const txid = (await node.command("decoderawtransaction", signed.hex)).txid as string;
    // 25 sat/vB is over a 20 sat/vB cap (0.0002 BTC/kvB).
    expect(await rpcError(node.command("sendrawtransaction", signed.hex, 0.0002))).toEqual({
      code: -25,
      message: "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)",
    });
    expect(await node.command("getrawmempool")).toEqual([]);
    expect(await node.command("sendrawtransaction", signed.hex, 0.0003)).toBe(txid);
    const tx = await wallet.command("gettransaction", txid);
    expect(tx.fee).toBeCloseTo(-funded.fee, 8);
    // Core unlocks spent coins (bitcoin#13160).
    expect(await wallet.command("listlockunspent")).toEqual([]);
    expect(tx.details).toContainEqual(
      expect.objectContaining({ category: "send", address: outside, amount: -2 }),
    );
  });

  it("leaves a draft whose inputs are not the wallet's unsigned, saying why", async () => {
    const draft = await node.command(
      "createrawtransaction",
      [{ txid: "ab".repeat(32), vout: 0 }],
      [{ [outside]: 1 }],
    );
    const signed = await wallet.command("signrawtransactionwithwallet", draft);
    expect(signed).toMatchObject({ hex: draft, complete: false });
    expect(signed.errors[0].error).toBe("Input not found or already spent");
  });
});

describe("lockunspent", () => {
  it("checks every output before locking any", async () => {
    const [coin] = await wallet.command("listunspent");
    const missing = "ab".repeat(32);
    const lock = (txs: unknown[], unlock = false) => wallet.command("lockunspent", unlock, txs);
    expect((await rpcError(lock([{ txid: missing, vout: 0 }]))).message).toBe(
      "Invalid parameter, unknown transaction",
    );
    expect((await rpcError(lock([{ txid: coin.txid, vout: 99 }]))).message).toBe(
      "Invalid parameter, vout index out of bounds",
    );
    expect((await rpcError(lock([{ txid: coin.txid, vout: -1 }]))).message).toBe(
      "Invalid parameter, vout cannot be negative",
    );
    const valid = { txid: coin.txid, vout: coin.vout };
    expect(await rpcError(lock([valid, { txid: missing, vout: 0 }]))).toMatchObject({ code: -8 });
    expect(await wallet.command("listlockunspent")).toEqual([]);
    expect(await lock([valid])).toBe(true);
    expect((await rpcError(lock([valid]))).message).toBe(
      "Invalid parameter, output already locked",
    );
    expect(await lock([valid], true)).toBe(true);
    expect((await rpcError(lock([valid], true))).message).toBe(
      "Invalid parameter, expected locked output",
    );
  });
});
