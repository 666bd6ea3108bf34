/** Only a real server has concurrent transactions: PGlite serialises everything. */

import { usePostgresServer } from "@bitcoim/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { User } from "../src/index.js";
import { btc, createWorld, type World } from "../src/testing.js";

const postgresUrl = usePostgresServer({ beforeAll, afterAll });

describe("the ledger under concurrency, on a real PostgreSQL server", () => {
  let world: World;
  let alice: User;
  const others: User[] = [];

  beforeAll(async () => {
    world = await createWorld({ postgres: postgresUrl() });
    ({ user: alice } = await world.accounts.register("alice@example.org", "alice"));
    for (let i = 0; i < 5; i++) {
      others.push((await world.accounts.register(`u${i}@example.org`, `u${i}`)).user);
    }
    await world.pay((await world.accounts.addresses(alice.id))[0]!.address, btc("1"));
    await world.mine(1);
    await world.scan();
  });
  afterAll(() => world?.close());

  it("50 transfers racing to drain one balance never take it below zero", async () => {
    // Each asks for 0.03 BTC: 33 can succeed, 17 must be refused.
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        world.accounts.transfer({
          fromUserId: alice.id,
          toUserId: others[i % others.length]!.id,
          amount: btc("0.03"),
          idempotencyKey: `drain-${i}`,
        }),
      ),
    );
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const refused = results.filter(
      (r) =>
        r.status === "rejected" && (r.reason as { code?: string }).code === "INSUFFICIENT_FUNDS",
    ).length;
    expect([ok, refused]).toEqual([33, 17]);
    expect((await world.accounts.balance(alice.id)).confirmed).toBe(btc("0.01"));
    let received = 0n;
    for (const u of others) received += (await world.accounts.balance(u.id)).confirmed;
    expect(received).toBe(btc("0.99"));
    expect((await world.accounts.audit()).problems).toEqual([]);
  });

  it("the same idempotency key raced from many connections moves the money once", async () => {
    const before = (await world.accounts.balance(others[0]!.id)).confirmed;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        world.accounts.transfer({
          fromUserId: others[1]!.id,
          toUserId: others[0]!.id,
          amount: 1000n,
          idempotencyKey: "once",
        }),
      ),
    );
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect((await world.accounts.balance(others[0]!.id)).confirmed).toBe(before + 1000n);
    expect((await world.accounts.audit()).problems).toEqual([]);
  });
});
