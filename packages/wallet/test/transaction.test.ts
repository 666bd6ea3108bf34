/** Reading a transaction's inputs without a node, against what the node says. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RpcBitcoinNode } from "../src/node/index.js";
import { type FundedSandbox, startFundedSandbox } from "../src/sandbox/index.js";
import { inputsOf, readTransaction } from "../src/transaction.js";

let chain: FundedSandbox;
let outside: RpcBitcoinNode;

beforeAll(async () => {
  chain = await startFundedSandbox({ wallets: [] });
  outside = chain.outside;
});
afterAll(() => chain?.close());

describe("readTransaction and inputsOf", () => {
  it("read a draft without inputs, a funded draft and a signed transaction as the node does", async () => {
    const to = await outside.getNewAddress("", "bech32");
    const empty = (await outside.call("createrawtransaction", [[], [{ [to]: "0.5" }]])) as string;
    expect(readTransaction(empty)).toMatchObject({ version: 2, inputs: [], lockTime: 0 });
    expect(readTransaction(empty)?.outputs.map((o) => o.value)).toEqual([50_000_000n]);

    const funded = await outside.fundTransaction({
      outputs: [{ address: to, amount: 50_000_000n }],
      feeRate: 3,
    });
    const signed = await outside.signRawTransactionWithWallet(funded.hex);
    for (const hex of [funded.hex, signed.hex]) {
      expect(inputsOf(hex)).toEqual((await outside.decodeRawTransaction(hex)).inputs);
    }
    expect(inputsOf(signed.hex)).toHaveLength(1);
  });

  it("refuse what is not a transaction", () => {
    for (const bad of ["", "zz", "00", "0200000001", "02000000000100"]) {
      expect(readTransaction(bad)).toBeUndefined();
      expect(() => inputsOf(bad)).toThrow(TypeError);
    }
  });
});
