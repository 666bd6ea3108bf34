/** Invariants 4 and 5 under concurrency and crashes, on a real PostgreSQL server. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { User } from "@bitcoim/accounts";
import { btc } from "@bitcoim/accounts/testing";
import { openDatabase, withdrawals } from "@bitcoim/db";
import { createDatabaseOn, usePostgresServer } from "@bitcoim/db/testing";
import { BitcoinNodeError } from "@bitcoim/wallet";
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOrders } from "../src/index.js";
import { startHoldingProxy } from "./fixtures/holding-proxy.js";
import { createOrdersWorld, credit, type OrdersWorld } from "./setup.js";

const run = promisify(execFile);
const confirmWorker = fileURLToPath(new URL("fixtures/confirm-worker.ts", import.meta.url));
const postgresUrl = usePostgresServer({ beforeAll, afterAll });

describe("payment orders under concurrency and crashes", () => {
  let world: OrdersWorld;
  let alice: User;
  let bob: User;

  beforeAll(async () => {
    world = await createOrdersWorld({ postgres: postgresUrl() });
    ({ user: alice } = await world.accounts.register("alice@example.org", "alice"));
    ({ user: bob } = await world.accounts.register("bob@example.org", "bob"));
    await credit(world, alice.id, btc("5"));
  });
  afterAll(() => world?.close());
  afterEach(async () => expect((await world.accounts.audit()).problems).toEqual([]));

  /** Another process half-way through a send: it holds the sends lock until released. */
  const holdSendsLockElsewhere = async () => {
    let taken!: () => void;
    let release!: () => void;
    const isTaken = new Promise<void>((resolve) => {
      taken = resolve;
    });
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holder = world.database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(1651794793, 3)`);
      taken();
      await gate;
    });
    await isTaken;
    return {
      release: async () => {
        release();
        await holder;
      },
    };
  };

  /** A peer reconciles with no grace left while a sender holds its turn: it waits, never refunds. */
  const reconcilesMeanwhile = async () => {
    const peer = createOrders({
      db: world.database.db,
      accounts: world.accounts,
      network: "regtest",
      node: world.gw,
      reconcileAfterMs: 0,
      sendsLockTimeoutMs: 300,
    });
    const meanwhile = await peer.reconcile();
    expect(meanwhile.refunded).toEqual([]);
    expect(meanwhile.failed).toEqual([
      expect.objectContaining({ error: expect.stringMatching(/could not get its turn/) }),
    ]);
    return peer;
  };

  it("never refunds a send whose sender, frozen within its turn, may still broadcast it", async () => {
    // The sender stops (as under SIGSTOP or a VM pause) after recording its
    // intent, inside its turn, just before the broadcast.
    let thaw!: () => void;
    const frozen = new Promise<void>((resolve) => {
      thaw = resolve;
    });
    let stopped!: () => void;
    const atBroadcast = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    const sender = createOrders({
      db: world.database.db,
      accounts: world.accounts,
      network: "regtest",
      node: {
        ...world.gw,
        sendRawTransaction: async (hex) => {
          stopped();
          await frozen;
          return world.gw.sendRawTransaction(hex);
        },
      },
    });
    const to = await world.outside.getNewAddress("", "bech32");
    const { order } = await sender.queue(alice.id, { address: to }, btc("0.07"));
    const paying = sender.confirm(alice.id, order.code);
    await atBroadcast;
    const peer = await reconcilesMeanwhile();
    thaw();
    const paid = await paying;
    expect(paid.txid).toMatch(/^[0-9a-f]{64}$/);
    const after = await peer.reconcile();
    expect([after.refunded, after.booked]).toEqual([[], []]);
    expect((await world.orders.find(alice.id, order.code))?.status).toBe("paid");
  });

  it("a sender process SIGSTOPped just before its broadcast, past the grace period, is never refunded", async () => {
    const { endpoint } = world.chain;
    let worker: ReturnType<typeof execFile> | undefined;
    let thaw!: () => void;
    const thawed = new Promise<void>((resolve) => {
      thaw = resolve;
    });
    let stopped!: () => void;
    const atBroadcast = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    // The real process stops, its database session (and the sends lock it
    // holds) left open; its broadcast reaches the node only after SIGCONT.
    const proxy = await startHoldingProxy(endpoint.url, "sendrawtransaction", async () => {
      process.kill(worker!.pid!, "SIGSTOP");
      stopped();
      await thawed;
    });
    try {
      const to = await world.outside.getNewAddress("", "bech32");
      const { order } = await world.orders.queue(alice.id, { address: to }, btc("0.06"));
      const args = [world.url, proxy.url, endpoint.user, endpoint.password, String(alice.id)];
      const flags = ["--import", "tsx", "--conditions=@bitcoim/source"];
      let stdout = "";
      const done = new Promise<void>((resolve, reject) => {
        worker = execFile(process.execPath, [...flags, confirmWorker, ...args, order.code], (e) =>
          e ? reject(e) : resolve(),
        );
        worker.stdout?.on("data", (c: Buffer) => {
          stdout += c.toString();
        });
      });
      await atBroadcast;
      const peer = await reconcilesMeanwhile();
      process.kill(worker!.pid!, "SIGCONT");
      thaw();
      await done;
      expect(JSON.parse(stdout)).toEqual(["paid"]);
      const after = await peer.reconcile();
      expect([after.refunded, after.booked]).toEqual([[], []]);
      expect((await world.orders.find(alice.id, order.code))?.status).toBe("paid");
      const [w] = await world.database.db
        .select()
        .from(withdrawals)
        .where(eq(withdrawals.orderId, order.id));
      expect(w).toMatchObject({ state: "sent" });
      expect(await world.gw.getTransaction(w!.txid!)).toMatchObject({ confirmations: 0 });
    } finally {
      // Never left stopped, whatever failed above.
      if (worker?.pid && worker.exitCode === null) process.kill(worker.pid, "SIGCONT");
      thaw();
      await proxy.close();
    }
  }, 60_000);

  /** Alice's `codes`, confirmed by two OS processes at once: each is paid by exactly one. */
  const confirmInTwoProcesses = async (codes: string[]) => {
    const { endpoint } = world.chain;
    const args = [world.url, endpoint.url, endpoint.user, endpoint.password, String(alice.id)];
    const outputs = await Promise.all(
      [1, 2].map(() =>
        run(process.execPath, [
          "--import",
          "tsx",
          "--conditions=@bitcoim/source",
          confirmWorker,
          ...args,
          ...codes,
        ]),
      ),
    );
    const [a, b] = outputs.map((o) => JSON.parse(o.stdout) as string[]);
    for (let i = 0; i < codes.length; i++) {
      expect([a![i], b![i]].sort()).toEqual(["ALREADY_PAID", "paid"]);
    }
  };

  it("100 concurrent confirms of one order make exactly one payment", async () => {
    const { order } = await world.orders.queue(alice.id, { userId: bob.id }, btc("0.01"));
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => world.orders.confirm(alice.id, order.code)),
    );
    const paid = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter(
      (r) => r.status === "rejected" && (r.reason as { code?: string }).code === "ALREADY_PAID",
    );
    expect([paid.length, refused.length]).toEqual([1, 99]);
    expect((await world.accounts.balance(bob.id)).confirmed).toBe(btc("0.01"));
  });

  it("two OS processes confirming the same orders pay each once", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 10; i++) {
      codes.push((await world.orders.queue(alice.id, { userId: bob.id }, 1000n)).order.code);
    }
    const before = (await world.accounts.balance(bob.id)).confirmed;
    await confirmInTwoProcesses(codes);
    expect((await world.accounts.balance(bob.id)).confirmed).toBe(before + 10_000n);
  });

  it("two OS processes confirming the same on-chain orders send each once", async () => {
    // Coins enough for sends built back to back (each holds its coins until broadcast).
    for (let i = 0; i < 4; i++)
      await world.pay(await world.gw.getNewAddress("", "bech32"), btc("1"));
    await world.mine(1);
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const to = await world.outside.getNewAddress("", "bech32");
      codes.push((await world.orders.queue(alice.id, { address: to }, btc("0.01"))).order.code);
    }
    const before = (await world.accounts.balance(alice.id)).confirmed;
    await confirmInTwoProcesses(codes);
    const sent = await world.database.db
      .select()
      .from(withdrawals)
      .where(eq(withdrawals.state, "sent"));
    const ours = sent.filter((w) => w.amount === btc("0.01"));
    expect(new Set(ours.map((w) => w.txid)).size).toBe(4);
    const mempool = (await world.gw.call("getrawmempool")) as string[];
    for (const w of ours) expect(mempool).toContain(w.txid);
    const fees = ours.reduce((sum, w) => sum + w.fee!, 0n);
    expect((await world.accounts.balance(alice.id)).confirmed).toBe(before - btc("0.04") - fees);
    expect(await world.gw.listLockUnspent()).toEqual([]);
  });

  it("the lock sweep leaves the wallet's coin locks alone while a send is being built anywhere", async () => {
    await world.gw.fundTransaction({
      outputs: [{ address: await world.outside.getNewAddress("", "bech32"), amount: 10_000n }],
      feeRate: 2,
      lockUnspents: true,
    });
    // Another process building a send: it holds the sends lock.
    const builder = await holdSendsLockElsewhere();
    expect((await world.orders.reconcile()).unlocked).toEqual([]);
    expect(await world.gw.listLockUnspent()).toHaveLength(1);
    await builder.release();
    expect((await world.orders.reconcile()).unlocked).toHaveLength(1);
    expect(await world.gw.listLockUnspent()).toEqual([]);
  });

  it("a send that cannot get its turn for too long is refused, its order pending", async () => {
    const to = await world.outside.getNewAddress("", "bech32");
    const patient = createOrders({
      db: world.database.db,
      accounts: world.accounts,
      network: "regtest",
      node: world.gw,
      sendsLockTimeoutMs: 200,
    });
    const { order } = await patient.queue(alice.id, { address: to }, btc("0.01"));
    // A process stuck half-way through a send: it holds the sends lock.
    const stuck = await holdSendsLockElsewhere();
    await expect(patient.confirm(alice.id, order.code)).rejects.toMatchObject({
      code: "SENDS_BUSY",
    });
    expect((await patient.find(alice.id, order.code))?.status).toBe("pending");
    expect(await world.gw.listLockUnspent()).toEqual([]);
    await stuck.release();
    expect((await patient.confirm(alice.id, order.code)).txid).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a one-connection pool up front: a send would wait for itself", async () => {
    const small = await openDatabase(await createDatabaseOn(postgresUrl()), { maxConnections: 1 });
    try {
      const make = () =>
        createOrders({
          db: small.db,
          accounts: world.accounts,
          node: world.gw,
          network: "regtest",
        });
      expect(make).toThrow(expect.objectContaining({ code: "POOL_TOO_SMALL" }));
      expect(make).toThrow(/maxConnections of at least 2/);
    } finally {
      await small.close();
    }
  });

  it("a send interrupted after the node call is booked after a restart, never sent twice", async () => {
    const outside = await world.outside.getNewAddress("", "bech32");
    const { order } = await world.orders.queue(alice.id, { address: outside }, btc("0.2"));
    // The process dies right after the node accepted the send, before recording it.
    const crashing = createOrders({
      db: world.database.db,
      accounts: world.accounts,
      network: "regtest",
      node: {
        ...world.gw,
        sendRawTransaction: async (hex) => {
          await world.gw.sendRawTransaction(hex);
          throw new BitcoinNodeError("NODE_SEND_OUTCOME_UNKNOWN", "simulated crash after the send");
        },
      },
    });
    await expect(crashing.confirm(alice.id, order.code)).rejects.toMatchObject({
      code: "SEND_OUTCOME_UNKNOWN",
    });
    expect((await world.accounts.audit()).totals.inFlight).toBeGreaterThan(0n);

    const restarted = createOrders({
      db: world.database.db,
      accounts: world.accounts,
      node: world.gw,
      network: "regtest",
      reconcileAfterMs: 0,
    });
    const result = await restarted.reconcile();
    expect(result.booked).toHaveLength(1);
    expect(await restarted.reconcile()).toEqual({
      booked: [],
      refunded: [],
      reinstated: [],
      failed: [],
      unlocked: [],
    });
    const { transactions } = await world.gw.listSinceBlock({ blockHash: null });
    const [w] = await world.database.db
      .select()
      .from(withdrawals)
      .where(eq(withdrawals.id, result.booked[0]!));
    // Named by its txid, recorded before the broadcast.
    const sends = transactions.filter((t) => t.category === "send" && t.txid === w!.txid);
    expect(sends).toHaveLength(1);
    expect((await restarted.find(alice.id, order.code))?.status).toBe("paid");
    expect((await world.accounts.audit()).totals.inFlight).toBe(0n);
  });

  it("a send whose node call never happened is refunded after a restart, and the payer told", async () => {
    const outside = await world.outside.getNewAddress("", "bech32");
    const { order } = await world.orders.queue(alice.id, { address: outside }, btc("0.3"));
    const before = (await world.accounts.balance(alice.id)).confirmed;
    const lost = createOrders({
      db: world.database.db,
      accounts: world.accounts,
      network: "regtest",
      node: {
        ...world.gw,
        sendRawTransaction: async () => {
          throw new BitcoinNodeError("NODE_SEND_OUTCOME_UNKNOWN", "simulated lost request");
        },
      },
    });
    await expect(lost.confirm(alice.id, order.code)).rejects.toMatchObject({
      code: "SEND_OUTCOME_UNKNOWN",
    });
    const restarted = createOrders({
      db: world.database.db,
      accounts: world.accounts,
      node: world.gw,
      network: "regtest",
      reconcileAfterMs: 0,
    });
    const told: unknown[] = [];
    restarted.events.on("paymentRefunded", (e) => told.push(e));
    expect((await restarted.reconcile()).refunded).toHaveLength(1);
    expect(told).toHaveLength(1);
    expect((await world.accounts.balance(alice.id)).confirmed).toBe(before);
    expect((await restarted.find(alice.id, order.code))?.status).toBe("refunded");
    // The coins the unsent payment had locked are the wallet's to spend again.
    expect(await world.gw.call("listlockunspent")).toEqual([]);
  });
});
