/** The order life in state.ts, against the database that enforces it, on both backends. */
import { inTransaction, type User } from "@bitcoim/accounts";
import { paymentOrders } from "@bitcoim/db";
import { usePostgresServer } from "@bitcoim/db/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLAIM_RULE_SQL,
  claimable,
  move,
  type Status,
  type Step,
  TRANSITIONS,
} from "../src/state.js";
import { clock, createOrdersWorld, credit, type OrdersWorld } from "./setup.js";

const postgresUrl = usePostgresServer({ beforeAll, afterAll });

describe("the status table", () => {
  it("ends in cancelled, expired and failed, and every status is reached from pending", () => {
    for (const end of ["cancelled", "expired", "failed"] as const) {
      expect(TRANSITIONS[end]).toEqual([]);
    }
    const reached = new Set<Status>(["pending"]);
    for (let grew = true; grew; ) {
      const before = reached.size;
      for (const from of [...reached]) for (const to of TRANSITIONS[from]) reached.add(to);
      grew = reached.size > before;
    }
    expect([...reached].sort()).toEqual(Object.keys(TRANSITIONS).sort());
  });
});

describe.each(["postgres", "pglite"] as const)("order moves on %s", (backend) => {
  let world: OrdersWorld;
  let alice: User;
  let bob: User;
  const time = clock();

  beforeAll(async () => {
    world = await createOrdersWorld(
      backend === "postgres" ? { postgres: postgresUrl() } : "pglite",
      { now: time.now, lifetimeMs: 60_000 },
    );
    ({ user: alice } = await world.accounts.register("alice@example.org", "alice"));
    ({ user: bob } = await world.accounts.register("bob@example.org", "bob"));
    await credit(world, alice.id, 100_000n);
  });
  afterAll(() => world?.close());

  const statusOf = async (id: number) =>
    (await world.database.db.select().from(paymentOrders).where(eq(paymentOrders.id, id)))[0]
      ?.status;
  const moving = <T>(work: (step: Step) => Promise<T>) =>
    inTransaction(world.database.db, (tx, afterCommit) =>
      work({ tx, afterCommit, events: world.orders.events }),
    );
  /** The rows of a raw query: postgres.js answers an array, PGlite an object holding them. */
  const rows = async <T>(query: ReturnType<typeof sql>): Promise<T[]> => {
    const result: unknown = await world.database.db.execute(query);
    return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
  };

  it("refuses a change the table does not have, and writes nothing", async () => {
    const { order } = await world.orders.queue(alice.id, { userId: bob.id }, 1000n);
    const heard: unknown[] = [];
    world.orders.events.on("paymentRefunded", (e) => heard.push(e));
    await expect(
      moving((step) => move(step, order, { from: "pending", to: "refunded" })),
    ).rejects.toThrow(/cannot go from pending to refunded/);
    expect(await statusOf(order.id)).toBe("pending");
    expect(heard).toEqual([]);
    await world.orders.cancel(alice.id, order.code);
  });

  it("moves only from the status it leaves: a second mover finds nothing", async () => {
    const { order } = await world.orders.queue(alice.id, { userId: bob.id }, 1000n);
    const change = { from: "pending", to: "cancelled" } as const;
    const [first, second] = await Promise.all([
      moving((step) => move(step, order, change)),
      moving((step) => move(step, order, change)),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(await statusOf(order.id)).toBe("cancelled");
  });

  it("claims as pay_order does: its SQL is the rule in state.ts", async () => {
    const [fn] = await rows<{ definition: string }>(
      sql`select pg_get_functiondef('bitcoim.pay_order(bigint,bigint,timestamptz)'::regprocedure) as definition`,
    );
    expect(fn?.definition).toContain(CLAIM_RULE_SQL);

    // The same verdicts either way: a live order is claimable, an expired one is gone.
    const { order } = await world.orders.queue(alice.id, { userId: bob.id }, 1000n);
    const claimableNow = async (at: Date) =>
      (await world.database.db.select().from(paymentOrders).where(claimable(order.id, at)))
        .length === 1;
    const later = new Date(order.expiresAt.getTime() + 1);
    expect(await claimableNow(time.now())).toBe(true);
    expect(await claimableNow(later)).toBe(false);
    const [verdict] = await rows<{ outcome: string }>(
      sql`select outcome from bitcoim.pay_order(${order.id}, ${bob.id}, ${later.toISOString()}::timestamptz)`,
    );
    expect(verdict?.outcome).toBe("gone");
    expect(await statusOf(order.id)).toBe("pending");
    await world.orders.cancel(alice.id, order.code);
  });

  it("pays by code only through pay_order: one claim rule, and no row for anything else", async () => {
    const [fn] = await rows<{ definition: string }>(
      sql`select pg_get_functiondef('bitcoim.pay_order_by_code(bigint,text,bigint,timestamptz)'::regprocedure) as definition`,
    );
    expect(fn?.definition).toContain('"bitcoim"."pay_order"(v_order.id');
    expect(fn?.definition).not.toMatch(/\bUPDATE\b/i);

    const { order } = await world.orders.queue(alice.id, { userId: bob.id }, 1000n);
    const byCode = (to: number | null, at: Date) =>
      rows<{ outcome: string; o_id: string }>(
        sql`select outcome, o_id from bitcoim.pay_order_by_code(${alice.id}, ${order.code}, ${to}::bigint, ${at.toISOString()}::timestamptz)`,
      );
    // Another user written to, a code past its lifetime: no row, nothing changed.
    expect(await byCode(alice.id, time.now())).toEqual([]);
    expect(await byCode(bob.id, new Date(order.expiresAt.getTime() + 1))).toEqual([]);
    expect(await statusOf(order.id)).toBe("pending");
    const [paid] = await byCode(null, time.now());
    expect(paid?.outcome).toBe("posted");
    expect(Number(paid?.o_id)).toBe(order.id);
    expect(await statusOf(order.id)).toBe("paid");
    expect(await byCode(null, time.now())).toEqual([]); // once
  });
});
