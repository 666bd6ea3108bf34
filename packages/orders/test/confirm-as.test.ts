/** `confirmAs`: the sender by JID, the contact by username, and the payment, in one call. */
import type { User } from "@bitcoim/accounts";
import { btc } from "@bitcoim/accounts/testing";
import { users } from "@bitcoim/db";
import { usePostgresServer } from "@bitcoim/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { OrdersError } from "../src/index.js";
import { createOrdersWorld, credit, type OrdersWorld } from "./setup.js";

const postgresUrl = usePostgresServer({ beforeAll, afterAll });

describe.each(["postgres", "pglite"] as const)("confirmAs on %s", (backend) => {
  let world: OrdersWorld;
  let alice: User;
  let bob: User;
  let carol: User;

  beforeAll(async () => {
    world = await createOrdersWorld(
      backend === "postgres" ? { postgres: postgresUrl() } : "pglite",
    );
    ({ user: alice } = await world.accounts.register("alice@example.org", "alice"));
    ({ user: bob } = await world.accounts.register("bob@example.org", "Bob"));
    ({ user: carol } = await world.accounts.register("carol@example.org", "carol"));
    await credit(world, alice.id, btc("1"));
  });
  afterAll(() => world?.close());
  afterEach(async () => expect((await world.accounts.audit()).problems).toEqual([]));

  const toBob = (amount = 1000n) => world.orders.queue(alice.id, { userId: bob.id }, amount);
  const statusOf = async (code: string) => (await world.orders.find(alice.id, code))?.status;

  it("pays a user's order written to the gateway, answering the sender as accounts read them", async () => {
    const { order } = await toBob();
    const before = await world.accounts.balance(alice.id);
    const bobBefore = (await world.accounts.balance(bob.id)).confirmed;
    const completed: unknown[] = [];
    const off = world.orders.events.on("paymentCompleted", (e) => completed.push(e));
    const done = await world.orders.confirmAs("Alice@Example.org", order.code.toUpperCase());
    expect(done.sender).toEqual(await world.accounts.byJid("alice@example.org"));
    expect(done).not.toHaveProperty("target");
    expect(done.outcome).toMatchObject({
      paid: { order: { id: order.id, status: "paid" }, senderBalance: before.confirmed - 1000n },
      payee: await world.accounts.byId(bob.id),
    });
    expect((await world.accounts.balance(bob.id)).confirmed).toBe(bobBefore + 1000n);
    expect(completed).toEqual([expect.objectContaining({ recipientUserId: bob.id })]);
    off();
    // Once paid, there is nothing to pay: `confirm` says so.
    const again = await world.orders.confirmAs("alice@example.org", order.code);
    expect(again.outcome).toBeUndefined();
    await expect(
      world.orders.confirm(alice.id, order.code, undefined, { byCodeTried: true }),
    ).rejects.toMatchObject({ code: "ALREADY_PAID" });
  });

  it("written to a username, pays only its holder's order, and answers that user", async () => {
    const { order } = await toBob();
    const elsewhere = await world.orders.confirmAs("alice@example.org", order.code, "carol");
    expect(elsewhere.target).toEqual(carol);
    expect(elsewhere.outcome).toBeUndefined();
    expect(await statusOf(order.code)).toBe("pending");
    const nobody = await world.orders.confirmAs("alice@example.org", order.code, "nobody");
    expect(nobody).toMatchObject({ sender: { id: alice.id }, target: undefined });
    expect(nobody.outcome).toBeUndefined();
    expect(await statusOf(order.code)).toBe("pending");
    const there = await world.orders.confirmAs("alice@example.org", order.code, "BOB");
    expect(there.target).toEqual(await world.accounts.byUsername("bob"));
    expect(there.outcome).toMatchObject({ paid: { order: { status: "paid" } } });
  });

  it("pays nothing for a JID that is no user, nor an order paying an address, nor another's code", async () => {
    const { order } = await toBob();
    expect(await world.orders.confirmAs("mallory@example.org", order.code)).toEqual({
      sender: undefined,
    });
    const bobs = await world.orders.confirmAs("bob@example.org", order.code);
    expect(bobs.outcome).toBeUndefined();
    expect(await statusOf(order.code)).toBe("pending");
    const [deposit] = await world.accounts.addresses(bob.id);
    const toAddress = await world.orders.queue(alice.id, { address: deposit!.address }, 700n);
    const asked = await world.orders.confirmAs("alice@example.org", toAddress.order.code);
    expect(asked.outcome).toBeUndefined();
    // An address of one of our users: `confirm` pays it, without trying the code again.
    const paid = await world.orders.confirm(alice.id, toAddress.order.code, undefined, {
      byCodeTried: true,
    });
    expect(paid.order.status).toBe("paid");
    await world.orders.cancel(alice.id, order.code);
  });

  it("a refusal comes back with the sender, and leaves the order pending", async () => {
    const { order } = await toBob();
    await world.database.db
      .update(users)
      .set({ paymentsBlocked: true, blockedReason: "a test" })
      .where(eq(users.id, alice.id));
    try {
      const blocked = await world.orders.confirmAs("alice@example.org", order.code);
      expect(blocked.sender?.paymentsBlocked).toBe(true);
      const refused = blocked.outcome && "refused" in blocked.outcome && blocked.outcome.refused;
      expect(refused).toBeInstanceOf(OrdersError);
      expect((refused as OrdersError).code).toBe("PAYMENTS_BLOCKED");
      expect(await statusOf(order.code)).toBe("pending");
    } finally {
      await world.database.db
        .update(users)
        .set({ paymentsBlocked: false, blockedReason: null })
        .where(eq(users.id, alice.id));
    }
    // Too low a balance is raised by the database: refused, nothing moved.
    const big = await toBob(btc("2"));
    await expect(world.orders.confirmAs("alice@example.org", big.order.code)).rejects.toMatchObject(
      { code: "INSUFFICIENT_FUNDS" },
    );
    expect(await statusOf(big.order.code)).toBe("pending");
    await world.orders.cancel(alice.id, big.order.code);
    await world.orders.cancel(alice.id, order.code);
  });
});
