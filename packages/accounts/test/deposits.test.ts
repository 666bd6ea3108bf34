import { usePostgresServer } from "@bitcoim/db/testing";
import { bitcoindForTests, mineDoubleSpend } from "@bitcoim/wallet/regtest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOnlineResources, type DepositNotice, type User } from "../src/index.js";
import { btc, createWorld, type World } from "../src/testing.js";

const postgresUrl = usePostgresServer({ beforeAll, afterAll });
const binary = bitcoindForTests("the deposit scanner's tests");
const cases = [
  ["postgres", "sandbox"],
  ["pglite", "sandbox"],
  ["postgres", "bitcoind"],
  ["pglite", "bitcoind"],
] as const;

describe.skipIf(binary === undefined).each(cases.filter(([, chain]) => chain === "bitcoind"))(
  "deposits on %s and %s",
  (backend, chain) => deposits(backend, chain),
);
describe.each(cases.filter(([, chain]) => chain === "sandbox"))(
  "deposits on %s and %s",
  (backend, chain) => deposits(backend, chain),
);

function deposits(backend: "postgres" | "pglite", chain: "sandbox" | "bitcoind") {
  let world: World;
  let alice: User;
  let aliceAddress: string;
  let bob: User;
  const told: { event: string; notice: DepositNotice }[] = [];

  beforeAll(async () => {
    world = await createWorld(backend === "postgres" ? { postgres: postgresUrl() } : "pglite", {
      dustMinimum: 546n,
      chain,
      ...(binary === undefined ? {} : { binary }),
    });
    ({ user: alice } = await world.accounts.register("alice@example.org", "alice"));
    aliceAddress = (await world.accounts.addresses(alice.id))[0]!.address;
    ({ user: bob } = await world.accounts.register("bob@example.org", "bob"));
    for (const event of [
      "depositSeen",
      "depositCredited",
      "depositReversed",
      "depositDropped",
    ] as const) {
      world.accounts.events.on(event, (notice) => told.push({ event, notice }));
    }
  });
  afterAll(() => world?.close());
  afterEach(async () => {
    const report = await world.accounts.audit();
    expect(report.problems).toEqual([]);
  });

  it("sees a deposit as pending, then credits it once when it confirms", async () => {
    const txid = await world.pay(aliceAddress, btc("0.5"));
    const first = await world.scan();
    expect(first.seen).toEqual([
      expect.objectContaining({ txid, userId: alice.id, amount: btc("0.5") }),
    ]);
    expect(await world.accounts.balance(alice.id)).toMatchObject({
      confirmed: 0n,
      pending: btc("0.5"),
    });
    expect((await world.scan()).seen).toEqual([]); // polled again: nothing new

    await world.mine(1);
    const second = await world.scan();
    expect(second.credited).toEqual([expect.objectContaining({ txid, generation: 1 })]);
    expect(await world.accounts.balance(alice.id)).toMatchObject({
      confirmed: btc("0.5"),
      pending: 0n,
    });
    expect((await world.scan()).credited).toEqual([]);
    expect(told.map((t) => t.event)).toEqual(["depositSeen", "depositCredited"]);
  });

  it("applies a step once: a second process with the same step finds the cursor moved", async () => {
    const txid = await world.pay(aliceAddress, btc("0.1"));
    await world.mine(1);
    const from = await world.accounts.cursor("gw");
    const { scanDeposits } = await import("@bitcoim/wallet");
    const step = await scanDeposits({
      node: world.gw,
      cursor: from,
      pending: [],
      confirmations: 1,
    });
    const [a, b] = await Promise.all([
      world.accounts.applyScan("gw", { from, ...step }),
      world.accounts.applyScan("gw", { from, ...step }),
    ]);
    expect([a.applied, b.applied].sort()).toEqual([false, true]);
    expect([...a.credited, ...b.credited].map((n) => n.txid)).toEqual([txid]);
    expect((await world.accounts.balance(alice.id)).confirmed).toBe(btc("0.6"));
  });

  it("records a dust deposit without crediting it", async () => {
    await world.pay(aliceAddress, 545n);
    await world.mine(1);
    const step = await world.scan();
    expect(step.credited).toEqual([]);
    expect((await world.accounts.balance(alice.id)).confirmed).toBe(btc("0.6"));
  });

  it("reverses a reorged deposit, books what was spent as owed, blocks, and credits it again", async () => {
    const txid = await world.pay(aliceAddress, btc("1"));
    const [block] = await world.mine(1);
    expect((await world.scan()).credited.map((n) => n.txid)).toEqual([txid]);
    await world.accounts.transfer({
      fromUserId: alice.id,
      toUserId: bob.id,
      amount: btc("1.5"),
      idempotencyKey: "spend-it",
    });
    expect((await world.accounts.balance(alice.id)).confirmed).toBe(btc("0.1"));

    await world.outside.call("invalidateblock", [block]);
    const reorg = await world.scan();
    expect(reorg.reversed).toEqual([
      expect.objectContaining({ txid, amount: btc("1"), shortfall: btc("0.9"), generation: 1 }),
    ]);
    expect(await world.accounts.balance(alice.id)).toMatchObject({
      confirmed: 0n,
      owed: btc("0.9"),
    });
    expect((await world.accounts.byId(alice.id))?.paymentsBlocked).toBe(true);
    await expect(
      world.accounts.transfer({
        fromUserId: alice.id,
        toUserId: bob.id,
        amount: 1n,
        idempotencyKey: "x",
      }),
    ).rejects.toMatchObject({ code: "PAYMENTS_BLOCKED" });
    expect((await world.scan()).reversed).toEqual([]); // reported once

    await world.mine(1); // the transaction, back in the mempool, is mined again
    const again = await world.scan();
    expect(again.credited).toEqual([expect.objectContaining({ txid, generation: 2 })]);
    expect(await world.accounts.balance(alice.id)).toMatchObject({
      confirmed: btc("1"),
      owed: btc("0.9"),
    });

    expect(await world.accounts.settleDebt(alice.id)).toEqual({ paid: btc("0.9"), remaining: 0n });
    expect(await world.accounts.balance(alice.id)).toMatchObject({
      confirmed: btc("0.1"),
      owed: 0n,
    });
    expect((await world.accounts.byId(alice.id))?.paymentsBlocked).toBe(false);
  });

  /** The payer mines, in place of `txid`, a transaction spending its first input back to itself. */
  const doubleSpend = async (txid: string) =>
    mineDoubleSpend(world.outside, txid, [
      { [await world.outside.getNewAddress("", "bech32")]: "0.01" },
    ]);

  it("never credits a deposit double-spent before it confirmed (negative confirmations)", async () => {
    await world.mine(1); // the payer's coin confirmed, so that a block can spend it instead
    const before = await world.accounts.balance(alice.id);
    const txid = await world.pay(aliceAddress, btc("0.2"));
    expect((await world.scan()).seen.map((n) => n.txid)).toEqual([txid]);
    expect((await world.accounts.balance(alice.id)).pending).toBe(before.pending + btc("0.2"));
    await doubleSpend(txid);
    expect((await world.outside.getTransaction(txid)).confirmations).toBe(-1);
    const after = await world.scan();
    expect([after.credited, after.reversed]).toEqual([[], []]);
    expect(after.dropped).toEqual([expect.objectContaining({ txid, amount: btc("0.2") })]);
    expect(told.at(-1)).toMatchObject({ event: "depositDropped", notice: { txid } });
    await world.mine(2);
    expect((await world.scan()).credited).toEqual([]);
    expect(await world.accounts.balance(alice.id)).toEqual(before);
  });

  it("reverses a credited deposit that a reorg replaced with a double spend, for good", async () => {
    await world.mine(1);
    const before = await world.accounts.balance(alice.id);
    const txid = await world.pay(aliceAddress, btc("0.3"));
    const [block] = await world.mine(1);
    expect((await world.scan()).credited.map((n) => n.txid)).toEqual([txid]);
    await world.outside.call("invalidateblock", [block]);
    await doubleSpend(txid); // the longer chain now spends the deposit's input elsewhere
    await world.mine(1);
    const reorg = await world.scan();
    expect(reorg.reversed).toEqual([expect.objectContaining({ txid, amount: btc("0.3") })]);
    expect((await world.outside.getTransaction(txid)).confirmations).toBe(-2);
    await world.mine(1);
    const later = await world.scan();
    expect([later.credited, later.dropped]).toEqual([[], []]);
    expect(await world.accounts.balance(alice.id)).toEqual(before);
  });

  /** A deposit of `amount` credited at one confirmation (N = 1), with alice's balance before it. */
  const creditedAtOne = async (amount: bigint) => {
    await world.mine(1);
    const before = await world.accounts.balance(alice.id);
    const txid = await world.pay(aliceAddress, amount);
    const [block] = await world.mine(1);
    expect((await world.scan(1)).credited.map((n) => n.txid)).toEqual([txid]);
    return { before, txid, block: block! };
  };

  it("reverses a deposit credited under a lower N when N was raised and its block reorged", async () => {
    const { before, txid, block } = await creditedAtOne(btc("0.4"));
    // N raised to 3: the cursor steps back two blocks, below the credit.
    expect((await world.scan(3)).reversed).toEqual([]);
    expect((await world.accounts.balance(alice.id)).confirmed).toBe(before.confirmed + btc("0.4"));

    await world.outside.call("invalidateblock", [block]); // the cursor block stays on the chain
    const reorg = await world.scan(3);
    expect(reorg.reversed).toEqual([expect.objectContaining({ txid, amount: btc("0.4") })]);
    expect(reorg.seen).toEqual([expect.objectContaining({ txid })]); // back in the mempool
    expect(await world.accounts.balance(alice.id)).toEqual({
      ...before,
      pending: before.pending + btc("0.4"),
    });
    expect((await world.scan(3)).reversed).toEqual([]); // reported once

    await world.mine(2);
    expect((await world.scan(3)).credited).toEqual([]); // 2 of 3
    await world.mine(1);
    expect((await world.scan(3)).credited).toEqual([
      expect.objectContaining({ txid, generation: 2 }),
    ]);
    expect((await world.accounts.balance(alice.id)).confirmed).toBe(before.confirmed + btc("0.4"));
  });

  it("reverses, for good, a deposit credited under a lower N whose block a double spend replaced", async () => {
    const { before, txid, block } = await creditedAtOne(btc("0.25"));
    await world.scan(3);
    await world.outside.call("invalidateblock", [block]);
    await doubleSpend(txid); // the receiving wallet stops listing the deposit
    const reorg = await world.scan(3);
    expect(reorg.reversed).toEqual([expect.objectContaining({ txid, amount: btc("0.25") })]);
    await world.mine(3);
    const later = await world.scan(3);
    expect([later.credited, later.reversed, later.seen]).toEqual([[], [], []]);
    expect(await world.accounts.balance(alice.id)).toEqual(before);
  });

  it("leaves a deposit credited under a lower N credited while its block stays", async () => {
    const txid = await world.pay(aliceAddress, btc("0.05"));
    await world.mine(1);
    expect((await world.scan(1)).credited.map((n) => n.txid)).toEqual([txid]);
    const credited = await world.accounts.balance(alice.id);
    for (let i = 0; i < 3; i++) {
      const step = await world.scan(3);
      expect([step.reversed, step.credited]).toEqual([[], []]);
      await world.mine(1);
    }
    expect(await world.accounts.shallowCredits(3)).toEqual([]); // seen at 3: no longer shallow
    expect(await world.accounts.balance(alice.id)).toEqual(credited);
  });

  it("shows deposits in the owner's history with txid and confirmations", async () => {
    const page = await world.accounts.history(alice.id);
    const deposits = page.items.filter((m) => m.kind === "deposit");
    expect(deposits.length).toBeGreaterThanOrEqual(3);
    expect(deposits[0]).toMatchObject({ direction: "in", address: aliceAddress });
    expect(deposits[0]!.txid).toMatch(/^[0-9a-f]{64}$/);
    expect(page.items.some((m) => m.kind === "deposit_reversal" && m.amount === -btc("0.1"))).toBe(
      true,
    );
  });

  it("reads a user, their balance and whether they are online together, as notifications do", async () => {
    const bobAddress = (await world.accounts.addresses(bob.id))[0]!.address;
    await world.pay(bobAddress, btc("0.01"));
    await world.scan(); // seen, not confirmed: pending
    const found = await world.accounts.withBalance(bob.id);
    expect(found).toEqual({
      user: await world.accounts.byId(bob.id),
      balance: await world.accounts.balance(bob.id),
      online: false,
    });
    expect(found?.balance.pending).toBe(btc("0.01"));
    const online = createOnlineResources({ db: world.database.db });
    await online.arrive(bob.jid, "phone");
    expect((await world.accounts.withBalance(bob.id))?.online).toBe(true);
    // Both sides of a payment in one statement, each as withBalance reads them.
    const both = await world.accounts.withBalances([alice.id, bob.id]);
    expect(both.map((b) => b.user.id).sort((x, y) => x - y)).toEqual(
      [alice.id, bob.id].sort((x, y) => x - y),
    );
    for (const one of both) expect(one).toEqual(await world.accounts.withBalance(one.user.id));
    expect(both.find((b) => b.user.id === bob.id)?.online).toBe(true);
    await online.leave(bob.jid, "phone");
    expect(await world.accounts.withBalance(999_999)).toBeUndefined();
    expect((await world.accounts.withBalances([bob.id, 999_999])).map((b) => b.user.id)).toEqual([
      bob.id,
    ]);
  });
}
