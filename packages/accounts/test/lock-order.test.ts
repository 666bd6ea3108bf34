/**
 * One lock order for user accounts, whoever takes them: a deposit scan that
 * credits several users in one transaction and a transfer between two of
 * them never wait for each other in a circle. PostgreSQL would break such a
 * circle by failing one side ("deadlock detected"): a user's `confirm`
 * answered with an error under ordinary load.
 */
import { deposits, ledgerAccounts } from "@bitcoim/db";
import { usePostgresServer } from "@bitcoim/db/testing";
import { scanDeposits } from "@bitcoim/wallet";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { User } from "../src/index.js";
import { btc, createWorld, type World } from "../src/testing.js";

const postgresUrl = usePostgresServer({ beforeAll, afterAll });

describe("account locks on a real PostgreSQL server", () => {
  let world: World;
  let low: User;
  let high: User;
  const addressOf = async (u: User) => (await world.accounts.addresses(u.id))[0]!.address;
  const accountOf = async (u: User) => {
    const [row] = await world.database.db
      .select({ id: ledgerAccounts.id })
      .from(ledgerAccounts)
      .where(and(eq(ledgerAccounts.userId, u.id), eq(ledgerAccounts.kind, "user")));
    return row!.id;
  };
  /** Resolves once `n` of this database's sessions wait for a lock. */
  const waiting = async (n: number) => {
    for (;;) {
      const rows = (await world.database.db.execute(
        sql`SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )) as unknown as { n: number }[];
      if (rows[0]!.n >= n) return;
      await new Promise((r) => setImmediate(r));
    }
  };

  /** A third session holding deposit rows until released: where a scan stops. */
  const holdDeposit = async (where: SQL | undefined) => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let holding!: () => void;
    const locked = new Promise<void>((r) => {
      holding = r;
    });
    const done = world.database.db.transaction(async (tx) => {
      await tx.select().from(deposits).where(where).for("update");
      holding();
      await held;
    });
    await locked;
    return {
      release: () => {
        release();
        return done;
      },
    };
  };

  beforeAll(async () => {
    world = await createWorld({ postgres: postgresUrl() });
    ({ user: low } = await world.accounts.register("low@example.org", "low"));
    ({ user: high } = await world.accounts.register("high@example.org", "high"));
    await world.pay(await addressOf(low), btc("1"));
    await world.mine(1);
    await world.scan();
  });
  afterAll(() => world?.close());

  it("a scan crediting the higher account first and a transfer from the lower one both commit", async () => {
    expect(await accountOf(low)).toBeLessThan(await accountOf(high));
    const highAddress = await addressOf(high);
    await world.pay(highAddress, btc("0.2"));
    const lowTxid = await world.pay(await addressOf(low), btc("0.3"));
    await world.scan(); // both seen
    await world.mine(1);
    const from = await world.accounts.cursor("gw");
    const pending = await world.database.db
      .select({ txid: deposits.txid, vout: deposits.vout })
      .from(deposits)
      .where(eq(deposits.state, "seen"));
    const step = await scanDeposits({ node: world.gw, cursor: from, pending, confirmations: 1 });
    // The order the node happened to list them in: the higher account first.
    step.events.sort(
      (a, b) => Number(b.address === highAddress) - Number(a.address === highAddress),
    );
    expect(step.events.map((e) => e.address)).toEqual([highAddress, await addressOf(low)]);

    // A third session holds the lower user's deposit row, so the scan stops
    // between its two credits, holding the higher account.
    const holder = await holdDeposit(eq(deposits.txid, lowTxid));
    const scan = world.accounts.applyScan("gw", { from, ...step });
    await waiting(1);
    // Takes the lower account, then needs the higher one.
    const transfer = world.accounts.transfer({
      fromUserId: low.id,
      toUserId: high.id,
      amount: btc("0.1"),
      idempotencyKey: "lock-order",
    });
    await waiting(2);
    const [scanned, moved] = await Promise.allSettled([scan, transfer, holder.release()]);
    expect(scanned).toMatchObject({ status: "fulfilled" });
    expect(moved).toMatchObject({ status: "fulfilled" });
    expect((await world.accounts.balance(low.id)).confirmed).toBe(btc("1.2"));
    expect((await world.accounts.balance(high.id)).confirmed).toBe(btc("0.3"));
    expect((await world.accounts.audit()).problems).toEqual([]);
  });

  // A transfer's journal entry first takes a key-share lock on the account
  // (its foreign key), then waits to move the balance. A scan that locked
  // the account for its balance and then asked for a stronger lock to charge
  // a reorged deposit waited for that key share: a circle of two.
  it("a scan taking back a credited deposit and a transfer into that account both commit", async () => {
    const [credit] = await world.database.db
      .select()
      .from(deposits)
      .where(and(eq(deposits.address, await addressOf(low)), eq(deposits.state, "credited")));
    const cursor = await world.accounts.cursor("gw");
    const before = {
      low: await world.accounts.balance(low.id),
      high: await world.accounts.balance(high.id),
    };
    // Stops the scan after it has locked the accounts, before it charges.
    const holder = await holdDeposit(eq(deposits.id, credit!.id));
    const scan = world.accounts.applyScan("gw", {
      from: cursor,
      next: cursor!,
      events: [
        {
          kind: "removed",
          txid: credit!.txid,
          vout: credit!.vout,
          address: credit!.address,
          amount: credit!.amount,
          confirmations: 0,
        },
      ],
    });
    await waiting(1);
    const transfer = world.accounts.transfer({
      fromUserId: high.id,
      toUserId: low.id,
      amount: btc("0.1"),
      idempotencyKey: "lock-strength",
    });
    await waiting(2);
    const [scanned, moved] = await Promise.allSettled([scan, transfer, holder.release()]);
    expect(scanned).toMatchObject({ status: "fulfilled", value: { applied: true } });
    expect(moved).toMatchObject({ status: "fulfilled" });
    expect((await world.accounts.balance(low.id)).confirmed).toBe(
      before.low.confirmed - credit!.amount + btc("0.1"),
    );
    expect((await world.accounts.balance(high.id)).confirmed).toBe(
      before.high.confirmed - btc("0.1"),
    );
  });
});
