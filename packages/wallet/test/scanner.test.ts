/**
 * scanDeposits as a pure step, fed listsinceblock results of the shapes a
 * real Bitcoin Core v30 returns (see /work/shared/fixtures: records 14, 19,
 * 61). The end-to-end behaviour against a chain is in node-contract.test.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BitcoinNodeError,
  type DecodedTransaction,
  type ListSinceBlockOptions,
  type SinceBlock,
  type WalletEntry,
  type WalletTransaction,
} from "../src/node/index.js";
import { type DepositEvent, scanDeposits } from "../src/scanner/index.js";

const TX_A = "9b4730a3fd231b5dc09eeed10d21f6915324ea7a7fd4c3180c078990f39d5bbc";
const TX_B = "2017fd0e034735691e6c81e8414346b91ff81cdbd68dd6bfad147e0ccf5c200e";
const TIP = "12722a126635c4b2f3c663102fea300b0456994e9cd423a1d6ebccffd55a1e14";
const PREV = "7555c0393d43f9c7bc6d794928ea2c58cc9162b990034f118f6fb0b3c102c227";
const ALICE = "bcrt1q97lgdyakcepvdrvfq5qyhfgjqyvjr8a6cnstxj";

function receive(over: Partial<WalletEntry> = {}): WalletEntry {
  return {
    txid: TX_A,
    vout: 0,
    address: ALICE,
    category: "receive",
    amount: 150_000_000n,
    label: "alice@example.org",
    confirmations: 0,
    time: 1795683456,
    abandoned: false,
    ...over,
  };
}
const mined = (confirmations: number, over: Partial<WalletEntry> = {}) =>
  receive({ confirmations, blockHash: TIP, blockHeight: 102, ...over });

/**
 * A node answering one fixed listsinceblock result and recording the calls;
 * `conflicted` are the wallet's transactions `gettransaction` knows beyond
 * that listing (Core shows a conflicted receive only there), by txid.
 */
function nodeAnswering(
  result: Partial<SinceBlock>,
  conflicted: Record<
    string,
    { confirmations: number; outputs: DecodedTransaction["outputs"] }
  > = {},
) {
  const calls: ListSinceBlockOptions[] = [];
  const looked: string[] = [];
  return {
    calls,
    looked,
    async listSinceBlock(options: ListSinceBlockOptions): Promise<SinceBlock> {
      calls.push(options);
      return { transactions: [], removed: [], lastBlock: TIP, ...result };
    },
    async getTransaction(txid: string): Promise<WalletTransaction> {
      looked.push(txid);
      const known = conflicted[txid];
      if (known === undefined) {
        throw new BitcoinNodeError(
          "NODE_UNKNOWN_TRANSACTION",
          "Invalid or non-wallet transaction id",
        );
      }
      const { confirmations } = known;
      return {
        txid,
        amount: 0n,
        confirmations,
        time: 0,
        walletConflicts: [],
        details: [],
        hex: txid,
      };
    },
    async decodeRawTransaction(hex: string): Promise<DecodedTransaction> {
      return { txid: hex, vsize: 141, inputs: [], outputs: conflicted[hex]?.outputs ?? [] };
    },
  };
}

const base = { cursor: PREV, pending: [], confirmations: 1 };

describe("scanDeposits", () => {
  it("asks listsinceblock once, from the cursor, with the required confirmations", async () => {
    const node = nodeAnswering({ lastBlock: TIP });
    const step = await scanDeposits({ ...base, node, cursor: null, confirmations: 3 });
    expect(step).toEqual({ events: [], next: TIP });
    expect(node.calls).toEqual([
      { blockHash: null, targetConfirmations: 3, includeWatchOnly: false, includeRemoved: true },
    ]);
  });

  it("reports an unconfirmed payment as seen once, then nothing while pending", async () => {
    const node = nodeAnswering({ transactions: [receive()], lastBlock: PREV });
    const first = await scanDeposits({ ...base, node });
    expect(first.events).toEqual([
      {
        kind: "seen",
        txid: TX_A,
        vout: 0,
        address: ALICE,
        label: "alice@example.org",
        amount: 150_000_000n,
        confirmations: 0,
      },
    ]);
    expect(first.next).toBe(PREV);
    const again = await scanDeposits({ ...base, node, pending: [{ txid: TX_A, vout: 0 }] });
    expect(again.events).toEqual([]);
  });

  it("confirms at the required depth, pending or not, with the block hash", async () => {
    for (const pending of [[], [{ txid: TX_A, vout: 0 }]]) {
      const node = nodeAnswering({ transactions: [mined(1)] });
      const { events } = await scanDeposits({ ...base, node, pending });
      expect(events).toEqual([
        expect.objectContaining({ kind: "confirmed", confirmations: 1, blockHash: TIP }),
      ]);
    }
  });

  it("waits below the required depth: seen at 1 of 3, silent at 2, confirmed at 3", async () => {
    const pending = [{ txid: TX_A, vout: 0 }];
    const kinds = async (confirmations: number, p: typeof pending) =>
      (
        await scanDeposits({
          ...base,
          node: nodeAnswering({ transactions: [mined(confirmations)] }),
          pending: p,
          confirmations: 3,
        })
      ).events.map((e) => e.kind);
    expect(await kinds(1, [])).toEqual(["seen"]);
    expect(await kinds(2, pending)).toEqual([]);
    expect(await kinds(3, pending)).toEqual(["confirmed"]);
  });

  it("reports a reorged payment as removed, then seen again when it is back in the mempool", async () => {
    // Core after invalidateblock (fixture record 61): in `removed` and, at 0 conf, in `transactions`.
    const node = nodeAnswering({
      transactions: [receive()],
      removed: [receive()],
      lastBlock: PREV,
    });
    for (const pending of [[], [{ txid: TX_A, vout: 0 }]]) {
      const { events, next } = await scanDeposits({ ...base, node, cursor: TIP, pending });
      expect(events.map((e) => [e.kind, e.confirmations])).toEqual([
        ["removed", 0],
        ["seen", 0],
      ]);
      expect(next).toBe(PREV);
    }
  });

  it("reports removed then confirmed when a reorg re-mines the payment deep enough", async () => {
    const node = nodeAnswering({ transactions: [mined(1)], removed: [receive()] });
    const { events } = await scanDeposits({ ...base, node, cursor: TIP });
    expect(events.map((e) => e.kind)).toEqual(["removed", "confirmed"]);
  });

  it("reports a conflicted (negative confirmations) payment as removed only while pending", async () => {
    const node = nodeAnswering({ transactions: [receive({ confirmations: -2 })] });
    const known = await scanDeposits({ ...base, node, pending: [{ txid: TX_A, vout: 0 }] });
    expect(known.events.map((e) => [e.kind, e.confirmations])).toEqual([["removed", -2]]);
    expect((await scanDeposits({ ...base, node })).events).toEqual([]);
  });

  it("ignores coinbase, sends, outputs without an address and addresses that are not ours", async () => {
    const asked: string[] = [];
    const node = nodeAnswering({
      transactions: [
        mined(101, { category: "generate", vout: 0 }),
        mined(50, { category: "immature", vout: 1 }),
        mined(1, { category: "orphan", vout: 2 }),
        mined(1, { category: "send", amount: -5n, vout: 3 }),
        mined(1, { vout: 4, address: undefined as unknown as string }),
        mined(1, { vout: 5, address: "bcrt1qnotours" }),
        mined(1, { vout: 6, address: "bcrt1qnotours" }),
        mined(1, { vout: 7 }),
      ],
      removed: [receive({ vout: 8, address: "bcrt1qnotours" })],
    });
    const { events } = await scanDeposits({
      ...base,
      node,
      isOurs: async (address) => {
        asked.push(address);
        return address === ALICE;
      },
    });
    expect(events.map((e) => [e.kind, e.vout])).toEqual([["confirmed", 7]]);
    expect(asked.sort()).toEqual([ALICE, "bcrt1qnotours"]);
  });

  it("gives the same events in the same order whatever Core's order, once per output", async () => {
    const entries = [
      mined(1, { txid: TX_B, vout: 1 }),
      receive({ vout: 2 }),
      mined(1, { txid: TX_B, vout: 0 }),
    ];
    const forward = await scanDeposits({ ...base, node: nodeAnswering({ transactions: entries }) });
    const backward = await scanDeposits({
      ...base,
      node: nodeAnswering({ transactions: [...entries, ...entries].reverse() }),
    });
    expect(backward).toEqual(forward);
    expect(forward.events.map((e) => `${e.kind}:${e.txid.slice(0, 4)}:${e.vout}`)).toEqual([
      "confirmed:2017:0",
      "confirmed:2017:1",
      "seen:9b47:2",
    ]);
  });

  it("removes a pending payment Core no longer lists because it was double-spent", async () => {
    const output = { n: 1, amount: 150_000_000n, address: ALICE };
    const pending = [
      { txid: TX_A, vout: 1 },
      { txid: TX_B, vout: 0 },
    ];
    const node = nodeAnswering(
      { transactions: [receive({ txid: TX_B, vout: 0 })] },
      {
        [TX_A]: { confirmations: -2, outputs: [{ n: 0, amount: 5_000n, address: ALICE }, output] },
      },
    );
    const step = await scanDeposits({ ...base, node, pending });
    expect(step.events).toEqual([
      {
        kind: "removed",
        txid: TX_A,
        vout: 1,
        address: ALICE,
        amount: 150_000_000n,
        confirmations: -2,
      },
    ]);
    expect(node.looked).toEqual([TX_A]); // the listed one costs no lookup

    // Still unconfirmed, or unknown to the wallet: nothing to say yet.
    const waiting = nodeAnswering({}, { [TX_A]: { confirmations: 0, outputs: [output] } });
    expect((await scanDeposits({ ...base, node: waiting, pending })).events).toEqual([]);
    expect(waiting.looked.sort()).toEqual([TX_B, TX_A].sort());
  });

  it("starts again from genesis when the node does not know the cursor's block", async () => {
    const node = nodeAnswering({ transactions: [mined(1)] });
    const swapped = {
      ...node,
      async listSinceBlock(options: ListSinceBlockOptions): Promise<SinceBlock> {
        if (options.blockHash !== null) {
          throw new BitcoinNodeError(
            "NODE_UNKNOWN_BLOCK",
            "listsinceblock: Block not found (RPC -5)",
          );
        }
        return node.listSinceBlock(options);
      },
    };
    const step = await scanDeposits({ ...base, node: swapped });
    expect([step.rescanned, step.next, step.events.map((e) => e.kind)]).toEqual([
      true,
      TIP,
      ["confirmed"],
    ]);
    expect(node.calls.map((c) => c.blockHash)).toEqual([null]);
    // Without a cursor there is nothing to start again from: the failure stands.
    const gone = new BitcoinNodeError("NODE_UNKNOWN_BLOCK", "no");
    const failing = {
      ...node,
      listSinceBlock: async (): Promise<SinceBlock> => Promise.reject(gone),
    };
    await expect(scanDeposits({ ...base, node: failing, cursor: null })).rejects.toBe(gone);
  });

  it("is a pure function of the node's answer, the pending set and the depth", async () => {
    const entry = fc.record({
      txid: fc.constantFrom(TX_A, TX_B),
      vout: fc.nat(3),
      confirmations: fc.integer({ min: -3, max: 6 }),
      category: fc.constantFrom("receive", "receive", "send", "generate") as fc.Arbitrary<
        WalletEntry["category"]
      >,
    });
    await fc.assert(
      fc.asyncProperty(
        // Core lists an output at most once per list, with one confirmation count.
        fc.uniqueArray(entry, { maxLength: 8, selector: (e) => `${e.txid}:${e.vout}` }),
        fc.uniqueArray(entry, { maxLength: 3, selector: (e) => `${e.txid}:${e.vout}` }),
        fc.array(fc.record({ txid: fc.constantFrom(TX_A, TX_B), vout: fc.nat(3) }), {
          maxLength: 4,
        }),
        fc.integer({ min: 1, max: 6 }),
        async (listed, removed, pending, confirmations) => {
          const answer = {
            transactions: listed.map((e) => receive(e)),
            removed: removed.map((e) => receive(e)),
          };
          const run = (a: Partial<SinceBlock>) =>
            scanDeposits({ node: nodeAnswering(a), cursor: PREV, pending, confirmations });
          const one = await run(answer);
          expect(
            await run({
              transactions: [...answer.transactions].reverse(),
              removed: [...answer.removed].reverse(),
            }),
          ).toEqual(one);
          const kinds = new Map<string, string[]>();
          for (const e of one.events)
            kinds.set(`${e.txid}:${e.vout}`, [...(kinds.get(`${e.txid}:${e.vout}`) ?? []), e.kind]);
          for (const list of kinds.values()) {
            expect(list.length).toBeLessThanOrEqual(2);
            if (list.length === 2) expect(list[0]).toBe("removed");
          }
          for (const e of one.events as DepositEvent[]) {
            if (e.kind === "confirmed")
              expect(e.confirmations).toBeGreaterThanOrEqual(confirmations);
            if (e.kind === "seen") expect(e.confirmations).toBeLessThan(confirmations);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses a depth below 1 and passes node failures through unchanged", async () => {
    const node = nodeAnswering({});
    await expect(scanDeposits({ ...base, node, confirmations: 0 })).rejects.toMatchObject({
      code: "NODE_INVALID_ARGUMENT",
    });
    expect(node.calls).toEqual([]);
    const down = new BitcoinNodeError("NODE_UNAVAILABLE", "down", { reason: "connection-refused" });
    const failing = {
      ...node,
      listSinceBlock: async (): Promise<SinceBlock> => {
        throw down;
      },
    };
    await expect(scanDeposits({ ...base, node: failing })).rejects.toBe(down);
  });
});
