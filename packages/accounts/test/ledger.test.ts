import { journals } from "@bitcoim/db";
import { usePostgresServer } from "@bitcoim/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, type User } from "../src/index.js";
import {
  followReplacement,
  markConfirmed,
  recordTxid,
  reinstate,
  release,
  reopen,
  reserve,
  reverseSend,
  settle,
} from "../src/ledger/index.js";
import { btc, createWorld, type World } from "../src/testing.js";

const postgresUrl = usePostgresServer({ beforeAll, afterAll });

describe.each(["postgres", "pglite"] as const)("the ledger on %s", (backend) => {
  let world: World;
  let alice: User;
  let bob: User;

  beforeAll(async () => {
    world = await createWorld(backend === "postgres" ? { postgres: postgresUrl() } : "pglite");
    ({ user: alice } = await world.accounts.register("alice@example.org", "alice"));
    ({ user: bob } = await world.accounts.register("bob@example.org", "bob"));
    const address = (await world.accounts.addresses(alice.id))[0]!.address;
    await world.pay(address, btc("2"));
    await world.mine(1);
    await world.scan();
  });
  afterAll(() => world?.close());
  afterEach(async () => expect((await world.accounts.audit()).problems).toEqual([]));

  it("transfers between users, once per idempotency key", async () => {
    const input = {
      fromUserId: alice.id,
      toUserId: bob.id,
      amount: btc("0.25"),
      memo: "rent",
      idempotencyKey: "t1",
    };
    expect((await world.accounts.transfer(input)).posted).toBe(true);
    expect((await world.accounts.transfer(input)).posted).toBe(false);
    expect((await world.accounts.balance(alice.id)).confirmed).toBe(btc("1.75"));
    expect((await world.accounts.balance(bob.id)).confirmed).toBe(btc("0.25"));
  });

  it.each([
    [{ amount: btc("100") }, "INSUFFICIENT_FUNDS"],
    [{ amount: 0n }, "AMOUNT_NOT_POSITIVE"],
    [{ amount: -5n }, "AMOUNT_NOT_POSITIVE"],
    [{ toUserId: -1 }, "SAME_ACCOUNT"],
    [{ toUserId: 999_999 }, "USER_NOT_FOUND"],
  ])("refuses %o with %s and writes nothing", async (change, code) => {
    const before = await world.database.db.$count(journals);
    const input = {
      fromUserId: alice.id,
      toUserId: bob.id,
      amount: 1n,
      idempotencyKey: `bad-${code}`,
      ...change,
    };
    if (input.toUserId === -1) input.toUserId = alice.id;
    await expect(world.accounts.transfer(input)).rejects.toMatchObject({ code });
    expect(await world.database.db.$count(journals)).toBe(before);
    expect((await world.accounts.balance(alice.id)).confirmed).toBe(btc("1.75"));
  });

  it("reserves a send with its maximum fee, then settles the actual fee", async () => {
    const { db } = world.database;
    const w = await inTransaction(db, (tx) =>
      reserve(tx, {
        userId: alice.id,
        address: "bcrt1qexample",
        amount: btc("0.5"),
        maxFee: 10_000n,
        feeRate: "20",
      }),
    );
    expect(await world.accounts.balance(alice.id)).toMatchObject({
      confirmed: btc("1.75") - btc("0.5") - 10_000n,
      inFlight: btc("0.5") + 10_000n,
    });
    expect((await world.accounts.audit()).totals.inFlight).toBe(btc("0.5") + 10_000n);
    await inTransaction(db, (tx) => settle(tx, w.id, "ab".repeat(32), 2_820n));
    expect(await world.accounts.balance(alice.id)).toMatchObject({
      confirmed: btc("1.25") - 2_820n,
      inFlight: 0n,
    });
    await expect(inTransaction(db, (tx) => release(tx, w.id))).rejects.toMatchObject({
      code: "WITHDRAWAL_STATE",
    });
    const totals = (await world.accounts.audit()).totals;
    expect(totals).toMatchObject({ sentOnChain: btc("0.5"), networkFees: 2_820n, inFlight: 0n });
  });

  it("charges a fee above its reservation from the balance, not as a debt, while it lasts", async () => {
    const { db } = world.database;
    const before = (await world.accounts.balance(alice.id)).confirmed;
    const w = await inTransaction(db, (tx) =>
      reserve(tx, {
        userId: alice.id,
        address: "bcrt1qexample",
        amount: 10_000n,
        maxFee: 1_000n,
        feeRate: "5",
      }),
    );
    await inTransaction(db, (tx) => settle(tx, w.id, "cd".repeat(32), 3_000n));
    expect(await world.accounts.balance(alice.id)).toMatchObject({
      confirmed: before - 10_000n - 3_000n,
      owed: 0n,
    });
    expect((await world.accounts.byId(alice.id))?.paymentsBlocked).toBe(false);
  });

  it("reverses a settled send that was double-spent, entry for entry, once", async () => {
    const { db } = world.database;
    const before = await world.accounts.balance(alice.id);
    const totals = (await world.accounts.audit()).totals;
    const w = await inTransaction(db, (tx) =>
      reserve(tx, {
        userId: alice.id,
        address: "bcrt1qexample",
        amount: 20_000n,
        maxFee: 2_000n,
        feeRate: "10",
      }),
    );
    // A fee beyond the reservation, taken from the balance: given back too.
    await inTransaction(db, (tx) => settle(tx, w.id, "ef".repeat(32), 3_500n));
    await expect(inTransaction(db, (tx) => reverseSend(tx, w.id + 1000))).rejects.toMatchObject({
      code: "WITHDRAWAL_NOT_FOUND",
    });
    const reversed = await inTransaction(db, (tx) => reverseSend(tx, w.id));
    expect(reversed.state).toBe("refunded");
    expect(await world.accounts.balance(alice.id)).toEqual(before);
    expect((await world.accounts.audit()).totals).toEqual(totals);
    await expect(inTransaction(db, (tx) => reverseSend(tx, w.id))).rejects.toMatchObject({
      code: "WITHDRAWAL_STATE",
    });
    // Unsettled: nothing to reverse, nothing changed.
    const open = await inTransaction(db, (tx) =>
      reserve(tx, {
        userId: bob.id,
        address: "bcrt1qexample",
        amount: 1_000n,
        maxFee: 0n,
        feeRate: "1",
      }),
    );
    await expect(inTransaction(db, (tx) => reverseSend(tx, open.id))).rejects.toMatchObject({
      code: "WITHDRAWAL_STATE",
    });
    await inTransaction(db, (tx) => release(tx, open.id));
  });

  it("reverses a late booking that made a debt: the debt, the block and a settled part go back", async () => {
    const { db } = world.database;
    const { user: carol } = await world.accounts.register(
      `carol-${backend}@example.org`,
      `carol${backend}`,
    );
    const give = (to: number, from: number, amount: bigint, key: string) =>
      world.accounts.transfer({ fromUserId: from, toUserId: to, amount, idempotencyKey: key });
    await give(carol.id, alice.id, 10_000n, `c-${backend}-1`);
    // A send refunded as not sent, the money spent meanwhile; then it turns up mined.
    const w = await inTransaction(db, (tx) =>
      reserve(tx, {
        userId: carol.id,
        address: "bcrt1qexample",
        amount: 9_000n,
        maxFee: 500n,
        feeRate: "5",
      }),
    );
    await inTransaction(db, (tx) => release(tx, w.id));
    await give(alice.id, carol.id, 9_500n, `c-${backend}-2`);
    await inTransaction(db, (tx) => reinstate(tx, w.id, "aa".repeat(32), 500n));
    expect(await world.accounts.balance(carol.id)).toMatchObject({ confirmed: 0n, owed: 9_000n });
    expect((await world.accounts.byId(carol.id))?.paymentsBlocked).toBe(true);
    // Money arrives and an admin settles the debt; then the send turns out double-spent.
    await give(carol.id, alice.id, 20_000n, `c-${backend}-3`);
    expect(await world.accounts.settleDebt(carol.id)).toEqual({ paid: 9_000n, remaining: 0n });
    await inTransaction(db, (tx) => reverseSend(tx, w.id));
    // As if the late booking had never been: 500 before it, 20,000 since.
    expect(await world.accounts.balance(carol.id)).toMatchObject({ confirmed: 20_500n, owed: 0n });
    expect(await world.accounts.byId(carol.id)).toMatchObject({
      paymentsBlocked: false,
      blockedReason: null,
    });
    // Mined again: booked again, once more, and reversed again — each its own journal.
    await inTransaction(db, (tx) => reinstate(tx, w.id, "aa".repeat(32), 500n));
    expect((await world.accounts.balance(carol.id)).confirmed).toBe(20_500n - 9_500n);
    await inTransaction(db, (tx) => reverseSend(tx, w.id));
    expect(await world.accounts.balance(carol.id)).toMatchObject({ confirmed: 20_500n, owed: 0n });
  });

  it("follows a send: its txid, confirmed once, reopened by a reorg, carried by a replacement", async () => {
    const { db } = world.database;
    const before = await world.accounts.balance(alice.id);
    const w = await inTransaction(db, (tx) =>
      reserve(tx, {
        userId: alice.id,
        address: "bcrt1qexample",
        amount: 2_000n,
        maxFee: 500n,
        feeRate: "2",
      }),
    );
    const [first, second, third] = ["a1", "b2", "c3"].map((h) => h.repeat(32));
    expect((await recordTxid(db, w.id, first!)).txid).toBe(first);
    await expect(recordTxid(db, -1, first!)).rejects.toMatchObject({
      code: "WITHDRAWAL_NOT_FOUND",
    });
    // Not sent yet: nothing to confirm or to follow.
    expect(await markConfirmed(db, w.id)).toBeUndefined();
    expect(await followReplacement(db, w.id, second!)).toBeUndefined();
    await inTransaction(db, (tx) => settle(tx, w.id, first!, 300n));

    const confirmed = await markConfirmed(db, w.id);
    expect(confirmed).toMatchObject({ state: "confirmed", txid: first });
    expect(confirmed?.confirmedAt).toBeInstanceOf(Date);
    expect(await markConfirmed(db, w.id)).toBeUndefined();
    expect(await reopen(db, [second!, third!])).toBe(0);
    expect(await reopen(db, [first!])).toBe(1);
    // Mined again: the first confirmation is kept (the payer was told then).
    expect((await markConfirmed(db, w.id))?.confirmedAt).toEqual(confirmed?.confirmedAt);
    await reopen(db, [first!]);
    const followed = await followReplacement(db, w.id, second!);
    expect(followed).toMatchObject({ state: "sent", txid: second, confirmedAt: null });
    // None of it moves money: only the settle did.
    expect((await world.accounts.balance(alice.id)).confirmed).toBe(
      before.confirmed - 2_000n - 300n,
    );
  });

  it("releases a send that did not happen", async () => {
    const { db } = world.database;
    const before = (await world.accounts.balance(alice.id)).confirmed;
    const w = await inTransaction(db, (tx) =>
      reserve(tx, {
        userId: alice.id,
        address: "bcrt1qexample",
        amount: 1000n,
        maxFee: 500n,
        feeRate: "1",
      }),
    );
    await inTransaction(db, (tx) => release(tx, w.id));
    expect((await world.accounts.balance(alice.id)).confirmed).toBe(before);
    await expect(
      inTransaction(db, (tx) =>
        reserve(tx, {
          userId: alice.id,
          address: "bcrt1qexample",
          amount: btc("50"),
          maxFee: 1n,
          feeRate: "1",
        }),
      ),
    ).rejects.toMatchObject({ code: "INSUFFICIENT_FUNDS" });
  });

  it("pages a user's history, latest first, and filters it by counterpart", async () => {
    for (let i = 0; i < 22; i++) {
      await world.accounts.transfer({
        fromUserId: alice.id,
        toUserId: bob.id,
        amount: 1000n + BigInt(i),
        memo: `n${i}`,
        idempotencyKey: `h${i}`,
      });
    }
    const first = await world.accounts.history(alice.id);
    expect(first.items).toHaveLength(20);
    expect(first.hasMore).toBe(true);
    expect(first.items[0]).toMatchObject({
      amount: -1021n,
      direction: "out",
      memo: "n21",
      counterpart: { userId: bob.id, username: "bob" },
    });
    const second = await world.accounts.history(alice.id, { page: 2 });
    expect(second.items.map((m) => m.kind)).toContain("send");
    const send = second.items.find((m) => m.kind === "send" && m.fee === 2_820n);
    expect(send).toMatchObject({
      amount: -(btc("0.5") + 2_820n),
      fee: 2_820n,
      address: "bcrt1qexample",
    });
    const withBob = await world.accounts.history(bob.id, {
      with: { userId: alice.id },
      pageSize: 100,
    });
    expect(withBob.items).toHaveLength(23);
    expect(withBob.items.every((m) => m.direction === "in")).toBe(true);
  });
});
