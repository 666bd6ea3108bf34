import type { User } from "@bitcoim/accounts";
import { btc } from "@bitcoim/accounts/testing";
import { journals, paymentOrders, pgError, users } from "@bitcoim/db";
import { usePostgresServer } from "@bitcoim/db/testing";
import { readTransaction } from "@bitcoim/wallet";
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CODE_ALPHABET, DEFAULT_FEE_POLICY, OrdersError, type OrdersEvents } from "../src/index.js";
import { clock, createOrdersWorld, type OrdersWorld } from "./setup.js";

const postgresUrl = usePostgresServer({ beforeAll, afterAll });

describe.each(["postgres", "pglite"] as const)("payment orders on %s", (backend) => {
  let world: OrdersWorld;
  let alice: User;
  let bob: User;
  let bobAddress: string;
  let aliceAddress: string;
  const time = clock();
  const events: { event: keyof OrdersEvents; payload: unknown }[] = [];

  async function refusal(promise: Promise<unknown>) {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OrdersError);
    return error as OrdersError;
  }

  beforeAll(async () => {
    world = await createOrdersWorld(
      backend === "postgres" ? { postgres: postgresUrl() } : "pglite",
      {
        now: time.now,
        lifetimeMs: 10 * 60_000,
      },
    );
    ({ user: alice } = await world.accounts.register("alice@example.org", "alice"));
    ({ user: bob } = await world.accounts.register("bob@example.org", "bob"));
    aliceAddress = (await world.accounts.addresses(alice.id))[0]!.address;
    bobAddress = (await world.accounts.addresses(bob.id))[0]!.address;
    await world.pay(aliceAddress, btc("1"));
    await world.mine(1);
    await world.scan();
    for (const event of [
      "orderQueued",
      "orderCancelled",
      "orderExpired",
      "paymentCompleted",
      "paymentConfirmedOnChain",
      "paymentFailed",
    ] as const) {
      world.orders.events.on(event, (payload) => events.push({ event, payload }));
    }
  });
  afterAll(() => world?.close());
  afterEach(async () => expect((await world.accounts.audit()).problems).toEqual([]));

  it("queues a payment to a user with a 4-character code from the alphabet", async () => {
    const queued = await world.orders.queue(alice.id, { userId: bob.id }, btc("0.1"), " rent ");
    expect(queued.order.code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{4}$`));
    expect(queued.order).toMatchObject({
      status: "pending",
      recipientUserId: bob.id,
      comment: "rent",
      amount: btc("0.1"),
    });
    expect(queued.order.expiresAt.getTime() - time.now().getTime()).toBe(10 * 60_000);
    expect(queued).toMatchObject({
      internal: true,
      balanceAfter: btc("0.9"),
      lowBalance: false,
      insufficient: false,
    });
    expect(events.at(-1)).toMatchObject({ event: "orderQueued" });
  });

  it("warns when the balance after a payment would be low or not enough", async () => {
    const low = await world.orders.queue(alice.id, { userId: bob.id }, btc("0.99995"));
    expect(low).toMatchObject({ lowBalance: true, insufficient: false });
    const over = await world.orders.queue(alice.id, { userId: bob.id }, btc("2"));
    expect(over).toMatchObject({ lowBalance: true, insufficient: true });
    await world.orders.cancel(alice.id, low.order.code);
    await world.orders.cancel(alice.id, over.order.code);
  });

  it.each([
    ["yourself", () => ({ userId: -1 }), 1000n, "PAY_YOURSELF"],
    ["your own address", () => ({ address: aliceAddress }), 1000n, "PAY_OWN_ADDRESS"],
    ["an invalid address", () => ({ address: "bcrt1qnotanaddress" }), 1000n, "INVALID_ADDRESS"],
    [
      "a mainnet address",
      () => ({ address: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq" }),
      1000n,
      "INVALID_ADDRESS",
    ],
    ["nobody", () => ({ userId: 999_999 }), 1000n, "RECIPIENT_NOT_FOUND"],
    ["zero", () => ({ userId: bob.id }), 0n, "AMOUNT_NOT_POSITIVE"],
    ["a negative amount", () => ({ userId: bob.id }), -5n, "AMOUNT_NOT_POSITIVE"],
    [
      "dust on-chain",
      () => ({ address: "bcrt1qq03nn4s77tf7u8ujy20r9un49p6x3tah00jwqu" }),
      545n,
      "AMOUNT_BELOW_DUST",
    ],
  ])("refuses to pay %s and writes nothing", async (_, recipient, amount, code) => {
    const to = recipient();
    if ("userId" in to && to.userId === -1) to.userId = alice.id;
    const before = await world.database.db.$count(paymentOrders);
    expect((await refusal(world.orders.queue(alice.id, to, amount))).code).toBe(code);
    expect(await world.database.db.$count(paymentOrders)).toBe(before);
  });

  it("pays a user once on confirm; a second confirm says it is already paid", async () => {
    const { order } = await world.orders.queue(alice.id, { userId: bob.id }, btc("0.2"), "dinner");
    const paid = await world.orders.confirm(alice.id, order.code.toUpperCase(), { userId: bob.id });
    expect(paid.order.status).toBe("paid");
    expect((await world.accounts.balance(bob.id)).confirmed).toBe(btc("0.2"));
    expect(events.at(-1)).toMatchObject({
      event: "paymentCompleted",
      payload: { recipientUserId: bob.id },
    });
    expect((await refusal(world.orders.confirm(alice.id, order.code))).code).toBe("ALREADY_PAID");
    const history = await world.accounts.history(bob.id);
    expect(history.items[0]).toMatchObject({
      amount: btc("0.2"),
      memo: "dinner",
      counterpart: { username: "alice" },
    });
  });

  it("refuses someone else's code, a code for another recipient, and an unknown code", async () => {
    const { order } = await world.orders.queue(alice.id, { userId: bob.id }, 1000n);
    expect((await refusal(world.orders.confirm(bob.id, order.code))).code).toBe("ORDER_NOT_FOUND");
    const wrong = await refusal(
      world.orders.confirm(alice.id, order.code, { address: bobAddress }),
    );
    expect(wrong.code).toBe("WRONG_RECIPIENT");
    expect(wrong.details).toMatchObject({ recipientUserId: bob.id });
    expect((await refusal(world.orders.confirm(alice.id, "zzzz"))).code).toBe("ORDER_NOT_FOUND");
    const cancelled = await world.orders.cancel(alice.id, order.code, { address: bobAddress });
    expect(cancelled.elsewhere).toBe(true);
    expect((await refusal(world.orders.confirm(alice.id, order.code))).code).toBe(
      "ORDER_NOT_FOUND",
    );
  });

  it("queues with the users the caller holds, refusing ones it holds as unregistered", async () => {
    const queued = await world.orders.queue(alice, { userId: bob.id, user: bob }, 1000n, "known");
    expect(queued).toMatchObject({ internal: true, insufficient: false });
    expect(queued.order).toMatchObject({ senderId: alice.id, recipientUserId: bob.id });
    const gone = { ...bob, unregisteredAt: new Date() };
    const pending = (await world.orders.listPending(alice.id)).length;
    const refused = await refusal(world.orders.queue(alice, { userId: bob.id, user: gone }, 1000n));
    expect(refused.code).toBe("RECIPIENT_NOT_FOUND");
    const left = await refusal(
      world.orders.queue(
        { ...alice, unregisteredAt: new Date() },
        { userId: bob.id, user: bob },
        1000n,
      ),
    );
    expect(left.code).toBe("SENDER_NOT_FOUND");
    expect((await world.orders.listPending(alice.id)).length).toBe(pending);
    // A user held for another id is not trusted: the recipient is read.
    const mismatched = { ...bob, id: bob.id + 1000, unregisteredAt: new Date() };
    const reread = await world.orders.queue(alice, { userId: bob.id, user: mismatched }, 1000n);
    expect(reread.order.recipientUserId).toBe(bob.id);
    await world.orders.cancel(alice.id, reread.order.code);
    // Written to another user: refused, naming the order's own recipient, still pending.
    const carol = (await world.accounts.register("carol@example.org", "carol")).user;
    const wrong = await refusal(
      world.orders.confirm(alice.id, queued.order.code, { userId: carol.id }),
    );
    expect(wrong.code).toBe("WRONG_RECIPIENT");
    expect(wrong.details).toMatchObject({ recipientUserId: bob.id });
    const paid = await world.orders.confirm(alice.id, queued.order.code, {
      userId: bob.id,
      user: bob,
    });
    expect(paid.order).toMatchObject({
      id: queued.order.id,
      status: "paid",
      comment: "known",
      fee: 0n,
    });
    expect(paid.order.createdAt).toEqual(queued.order.createdAt);
    expect(paid.senderBalance).toBe((await world.accounts.balance(alice.id)).confirmed);
  });

  it("keeps a refused confirm pending and writes nothing", async () => {
    const { order } = await world.orders.queue(alice.id, { userId: bob.id }, btc("5"));
    const before = await world.database.db.$count(journals);
    expect((await refusal(world.orders.confirm(alice.id, order.code))).code).toBe(
      "INSUFFICIENT_FUNDS",
    );
    expect(await world.database.db.$count(journals)).toBe(before);
    expect((await world.orders.listPending(alice.id)).map((o) => o.code)).toContain(order.code);
    await world.orders.cancel(alice.id, order.code);
  });

  it("keeps the order pending when the sender's payments are blocked, and says why", async () => {
    const { order } = await world.orders.queue(alice.id, { userId: bob.id }, 1000n);
    const block = (on: boolean) =>
      world.database.db
        .update(users)
        .set({ paymentsBlocked: on, blockedReason: on ? "a reorg debt" : null })
        .where(eq(users.id, alice.id));
    await block(true);
    const before = await world.database.db.$count(journals);
    const error = await refusal(world.orders.confirm(alice.id, order.code));
    expect(error.code).toBe("PAYMENTS_BLOCKED");
    expect(error.message).toContain("a reorg debt");
    expect(await world.database.db.$count(journals)).toBe(before);
    expect((await world.orders.find(alice.id, order.code))?.status).toBe("pending");
    await block(false);
    const paid = await world.orders.confirm(alice.id, order.code);
    expect(paid.order.status).toBe("paid");
    // The payer's balance comes with the payment, read in the same call.
    expect(paid.senderBalance).toBe((await world.accounts.balance(alice.id)).confirmed);
  });

  it("pays an order only to its own recipient, never its sender, in the database itself", async () => {
    const { order } = await world.orders.queue(alice.id, { userId: bob.id }, 1000n);
    const before = await world.database.db.$count(journals);
    const payTo = (userId: number) =>
      world.database.db.execute(
        sql`select * from bitcoim.pay_order(${order.id}, ${userId}, ${new Date().toISOString()}::timestamptz)`,
      );
    for (const wrong of [
      alice.id,
      (await world.accounts.register("zed@example.org", "zed")).user.id,
    ]) {
      const refused = await payTo(wrong).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(pgError(refused)?.message).toMatch(/does not pay user/);
    }
    expect(await world.database.db.$count(journals)).toBe(before);
    expect((await world.orders.find(alice.id, order.code))?.status).toBe("pending");
    await world.orders.cancel(alice.id, order.code);
  });

  it("pays the user behind the id even if they rename between pay and confirm", async () => {
    const { order } = await world.orders.queue(alice.id, { userId: bob.id }, 1000n);
    await world.accounts.rename("bob@example.org", "robert");
    await world.accounts.register("mallory@example.org", "bob");
    await world.orders.confirm(alice.id, order.code);
    expect(events.at(-1)).toMatchObject({ payload: { recipientUserId: bob.id } });
  });

  it("pays another user's deposit address internally", async () => {
    const before = (await world.accounts.balance(bob.id)).confirmed;
    const queued = await world.orders.queue(alice.id, { address: bobAddress }, 5000n);
    expect(queued.internal).toBe(true);
    const paid = await world.orders.confirm(alice.id, queued.order.code, { address: bobAddress });
    expect(paid.txid).toBeUndefined();
    expect((await world.accounts.balance(bob.id)).confirmed).toBe(before + 5000n);
  });

  it("expires codes after their lifetime", async () => {
    const { order } = await world.orders.queue(alice.id, { userId: bob.id }, 1000n);
    time.advance(10 * 60_000);
    expect((await refusal(world.orders.confirm(alice.id, order.code))).code).toBe(
      "ORDER_NOT_FOUND",
    );
    expect(await world.orders.listPending(alice.id)).toEqual([]);
    const expired = await world.orders.expire();
    expect(expired.map((o) => o.id)).toContain(order.id);
    expect(events.at(-1)).toMatchObject({ event: "orderExpired" });
    expect(await world.orders.expire()).toEqual([]);
  });

  it("pays an outside address on-chain with an explicit fee rate and books the actual fee", async () => {
    const outside = await world.outside.getNewAddress("", "bech32");
    const queued = await world.orders.queue(
      alice.id,
      { address: outside },
      btc("0.1"),
      "to the shop",
    );
    expect(queued.internal).toBe(false);
    expect(queued.fee).toMatchObject({ rate: 20n, source: "fallback", estimate: 2820n });
    const before = (await world.accounts.balance(alice.id)).confirmed;
    const paid = await world.orders.confirm(alice.id, queued.order.code, { address: outside });
    expect(paid.txid).toMatch(/^[0-9a-f]{64}$/);
    expect(paid.fee).toBeGreaterThan(0n);
    expect(paid.fee).toBeLessThanOrEqual(DEFAULT_FEE_POLICY.maxFee);
    expect((await world.accounts.balance(alice.id)).confirmed).toBe(
      before - btc("0.1") - paid.fee!,
    );
    const wallet = await world.gw.getTransaction(paid.txid!);
    expect(-wallet.fee!).toBe(paid.fee);
    // Locked to the tip, as Core's wallet does against fee sniping.
    const { blocks } = await world.gw.getBlockchainInfo();
    expect(readTransaction(wallet.hex)?.lockTime).toBe(blocks);
    expect(await world.orders.trackSends()).toEqual([]);
    await world.mine(1);
    const confirmed = await world.orders.trackSends();
    expect(confirmed.map((o) => o.id)).toEqual([queued.order.id]);
    expect(events.at(-1)).toMatchObject({
      event: "paymentConfirmedOnChain",
      payload: { txid: paid.txid },
    });
  });

  it("keeps an address in its canonical spelling: upper-case bech32 pays, and is known as one's own", async () => {
    const outside = await world.outside.getNewAddress("", "bech32");
    const queued = await world.orders.queue(
      alice.id,
      { address: outside.toUpperCase() },
      btc("0.01"),
    );
    expect(queued.order.recipientAddress).toBe(outside);
    expect((await world.orders.confirm(alice.id, queued.order.code)).txid).toMatch(
      /^[0-9a-f]{64}$/,
    );
    const [own] = await world.accounts.addresses(alice.id);
    await expect(
      world.orders.queue(alice.id, { address: own!.address.toUpperCase() }, btc("0.01")),
    ).rejects.toMatchObject({ code: "PAY_OWN_ADDRESS" });
  });

  it("with the node down, confirm to an address fails clearly, debits nothing, keeps the order", async () => {
    const outside = "bcrt1qq03nn4s77tf7u8ujy20r9un49p6x3tah00jwqu";
    const queued = await world.orders.queue(alice.id, { address: outside }, 10_000n);
    const { createOrders } = await import("../src/index.js");
    const { createBitcoinNode } = await import("@bitcoim/wallet");
    const { freePort } = await import("@bitcoim/db/testing");
    const dead = createBitcoinNode({
      url: `http://127.0.0.1:${await freePort()}`,
      user: "u",
      password: "p",
    });
    const offline = createOrders({
      db: world.database.db,
      accounts: world.accounts,
      node: dead,
      network: "regtest",
      now: time.now,
    });
    const before = await world.accounts.balance(alice.id);
    expect((await refusal(offline.confirm(alice.id, queued.order.code))).code).toBe(
      "NODE_UNAVAILABLE",
    );
    expect(await world.accounts.balance(alice.id)).toEqual(before);
    expect((await world.orders.listPending(alice.id)).map((o) => o.code)).toContain(
      queued.order.code,
    );
    await world.orders.cancel(alice.id, queued.order.code);
  });
});
