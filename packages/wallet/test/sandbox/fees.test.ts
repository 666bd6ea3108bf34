/**
 * Properties of every payment the sandbox builds, over random amounts, fee
 * rates and subtract-fee flags: money is conserved, the fee pays at least the
 * requested rate on the real vsize (and not much more), recipients get
 * exactly what was asked (at most that when the fee is subtracted).
 */
import type Client from "bitcoin-core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { satsFromBtc } from "../../src/amount.js";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { call, client } from "./client.js";

let sandbox: Sandbox;
let node: Client;
let payer: Client;
let payee: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  node = client(sandbox);
  await node.command("createwallet", "payer");
  await node.command("createwallet", "payee");
  payer = client(sandbox, "payer");
  payee = await client(sandbox, "payee").command("getnewaddress", "", "bech32m");
  await node.command("generatetoaddress", 110, await payer.command("getnewaddress"));
});
afterAll(async () => {
  await sandbox.close();
});

/** Amounts as Core reads them: exact decimals from the raw reply text. */
async function rawResult(method: string, params: string, path = "/"): Promise<string> {
  const { text } = await call(sandbox, method, params, path);
  return text;
}

describe("payments", () => {
  it("pay the fee rate on the real size and the asked amount", async () => {
    let paid = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 1_000n, max: 6_000_000_000n }),
        fc.integer({ min: 1_000, max: 200_000 }),
        fc.boolean(),
        async (amount, ratePerKvB, subtract) => {
          const btc = `${amount / 100_000_000n}.${(amount % 100_000_000n).toString().padStart(8, "0")}`;
          const rate = `${Math.floor(ratePerKvB / 1000)}.${String(ratePerKvB % 1000).padStart(3, "0")}`;
          const params = `{"address":"${payee}","amount":"${btc}","fee_rate":${rate},"subtractfeefromamount":${subtract}}`;
          const reply = JSON.parse(await rawResult("sendtoaddress", params, "/wallet/payer"));
          if (reply.error) {
            expect(reply.error.message).toMatch(
              /^(Insufficient funds|The transaction amount is too small)/,
            );
            return;
          }
          const txid: string = reply.result;
          const pool = await rawResult("getrawmempool", "[true]");
          const fee = satsFromBtc(
            new RegExp(`"${txid}":\\{[^}]*"base":([0-9.]+)`).exec(pool)?.[1] ?? "x",
          );
          const vsize = Number(new RegExp(`"${txid}":\\{"vsize":(\\d+)`).exec(pool)?.[1]);
          expect(fee * 1000n).toBeGreaterThanOrEqual(BigInt(ratePerKvB) * BigInt(vsize));
          // Overpaying only by change too small to keep (dust + its own cost) and signature slack.
          expect(fee * 1000n).toBeLessThanOrEqual(
            BigInt(ratePerKvB) * BigInt(vsize + 41) + 295_000n,
          );
          const sent = JSON.parse(
            await rawResult("gettransaction", `["${txid}"]`, "/wallet/payer"),
          );
          expect(satsFromBtc(String(-sent.result.fee))).toBe(fee);
          const decoded = JSON.parse(
            await rawResult(
              "decoderawtransaction",
              `["${(await payer.command("gettransaction", txid)).hex}"]`,
            ),
          );
          const toPayee = decoded.result.vout.filter(
            (o: { scriptPubKey: { address?: string } }) => o.scriptPubKey.address === payee,
          );
          expect(toPayee).toHaveLength(1);
          const received = satsFromBtc(String(toPayee[0].value));
          if (subtract) expect(received).toBeLessThanOrEqual(amount);
          else expect(received).toBe(amount);
          paid += 1;
          await node.command("generatetoaddress", 1, payee);
        },
      ),
      { numRuns: 25 },
    );
    expect(paid).toBeGreaterThan(15);
  }, 60_000);
});
