import { randomUUID } from "node:crypto";
import { journals, users, withdrawals } from "@bitcoim/db";
import { minSats } from "@bitcoim/wallet";
import { and, count, eq, sql } from "drizzle-orm";
import { AccountsError } from "../errors.js";
import type { Handle } from "../unit-of-work.js";
import { systemAccountId, userAccountId } from "./accounts.js";
import { charge } from "./debt.js";
import { type Entry, post } from "./journal.js";
import { blocked } from "./transfer.js";

export type Withdrawal = typeof withdrawals.$inferSelect;

export interface ReserveInput {
  userId: number;
  address: string;
  amount: bigint;
  /** The most the fee may be; reserved with the amount, the unused part released on settle. */
  maxFee: bigint;
  /** sat/vB, as the send will state it. */
  feeRate: string;
  orderId?: number;
  idempotencyKey?: string;
  /** Shown in the sender's history (the order's comment). */
  memo?: string | null;
  /** A send built before it is broadcast: its txid is known now, and names the node call. */
  txid?: string;
  /** The funded, unsigned transaction: which coins to give back should the send be found unsent. */
  rawTx?: string;
}

/**
 * On-chain sends in three steps (docs/architecture.md §5.5): `reserve`
 * records the intent and moves amount + maximum fee to "sends in flight",
 * before the node is called; then exactly one of `settle` (sent: the actual
 * fee to "network fees", the rest back to the user) or `release` (not sent:
 * all of it back). The withdrawal's txid, when the send was built before it
 * was broadcast, names the node call for reconciling; otherwise its
 * idempotency key does — random, never reused, even after a database restore.
 */
export async function reserve(tx: Handle, input: ReserveInput): Promise<Withdrawal> {
  if (input.amount <= 0n || input.maxFee < 0n) {
    throw new AccountsError("AMOUNT_NOT_POSITIVE", "a send moves a positive amount");
  }
  // FOR SHARE: a block set concurrently (a reorg debt) is seen, not raced.
  const [sender] = await tx
    .select({ blocked: users.paymentsBlocked, reason: users.blockedReason })
    .from(users)
    .where(eq(users.id, input.userId))
    .for("share");
  if (!sender) throw new AccountsError("USER_NOT_FOUND", `no user with id ${input.userId}`);
  if (sender.blocked) throw blocked(sender.reason);
  const [row] = await tx
    .insert(withdrawals)
    .values({
      userId: input.userId,
      orderId: input.orderId ?? null,
      address: input.address,
      amount: input.amount,
      maxFee: input.maxFee,
      feeRate: input.feeRate,
      txid: input.txid ?? null,
      rawTx: input.rawTx ?? null,
      // One key per attempt: an order retried after a refused send gets a new
      // one (the claim on the order row is what makes it execute once).
      idempotencyKey: input.idempotencyKey ?? `withdrawal:${randomUUID()}`,
      // Now, not when the transaction began: reconciliation's grace period
      // counts from here, and a build may have taken long before it.
      createdAt: sql`clock_timestamp()`,
      updatedAt: sql`clock_timestamp()`,
    })
    .returning();
  const held = input.amount + input.maxFee;
  await post(tx, {
    kind: "send_reserve",
    memo: input.memo ?? null,
    idempotencyKey: `withdrawal:${row!.id}:reserve`,
    withdrawalId: row!.id,
    ...(input.orderId !== undefined ? { orderId: input.orderId } : {}),
    entries: [
      { accountId: await userAccountId(tx, input.userId), amount: -held },
      { accountId: await systemAccountId(tx, "sends_in_flight"), amount: held },
    ],
  });
  return row!;
}

async function lockIntent(tx: Handle, id: number): Promise<Withdrawal> {
  const [row] = await tx.select().from(withdrawals).where(eq(withdrawals.id, id)).for("update");
  if (!row) throw new AccountsError("WITHDRAWAL_NOT_FOUND", `no withdrawal ${id}`);
  if (row.state !== "intent") {
    throw new AccountsError("WITHDRAWAL_STATE", `withdrawal ${id} is already ${row.state}`);
  }
  return row;
}

/** The send happened: book its txid and actual fee, give back the unused fee reserve. */
export async function settle(
  tx: Handle,
  id: number,
  txid: string,
  fee: bigint,
): Promise<Withdrawal> {
  const row = await lockIntent(tx, id);
  if (fee < 0n) throw new RangeError(`a fee cannot be negative (withdrawal ${id})`);
  // A send built before it is broadcast reserves its exact fee. Should a fee
  // ever exceed the reservation (a send made in one call by an older
  // version), the user pays the excess from their balance, and what they
  // cannot cover is owed like a reorg debt: visible, never ignored.
  const charged = minSats(fee, row.maxFee);
  const entries = [
    { accountId: await systemAccountId(tx, "sends_in_flight"), amount: -(row.amount + row.maxFee) },
    { accountId: await systemAccountId(tx, "wallet_outflow"), amount: row.amount },
    { accountId: await systemAccountId(tx, "network_fees"), amount: fee },
    { accountId: await userAccountId(tx, row.userId), amount: row.maxFee - charged },
    ...(
      await charge(
        tx,
        row.userId,
        fee - charged,
        (owed) =>
          `the network fee of withdrawal ${id} exceeded its reservation; ${owed} sat are owed until an admin settles it`,
      )
    ).entries,
  ];
  await post(tx, {
    kind: "send_settle",
    idempotencyKey: `withdrawal:${id}:settle`,
    withdrawalId: id,
    ...(row.orderId !== null ? { orderId: row.orderId } : {}),
    entries,
  });
  const [updated] = await tx
    .update(withdrawals)
    .set({ state: "sent", txid, fee, updatedAt: new Date() })
    .where(and(eq(withdrawals.id, id), eq(withdrawals.state, "intent")))
    .returning();
  return updated!;
}

/**
 * A send that was refunded because the wallet did not have it then, and that
 * the wallet has now (the node finished the call late): it went out, so it
 * is booked as sent and charged again — as far as the balance goes, the rest
 * owed. Never silent: the caller tells the user and alerts the operator.
 */
export async function reinstate(
  tx: Handle,
  id: number,
  txid: string,
  fee: bigint,
): Promise<Withdrawal> {
  const [row] = await tx.select().from(withdrawals).where(eq(withdrawals.id, id)).for("update");
  if (!row) throw new AccountsError("WITHDRAWAL_NOT_FOUND", `no withdrawal ${id}`);
  if (row.state !== "refunded") {
    throw new AccountsError("WITHDRAWAL_STATE", `withdrawal ${id} is ${row.state}, not refunded`);
  }
  await post(tx, {
    kind: "send_late",
    // A send can be reversed and booked again more than once (a conflict
    // that reorgs out, and back): each booking is its own journal.
    idempotencyKey: `withdrawal:${id}:late:${await nextGeneration(tx, id, "send_late")}`,
    withdrawalId: id,
    ...(row.orderId !== null ? { orderId: row.orderId } : {}),
    entries: [
      { accountId: await systemAccountId(tx, "wallet_outflow"), amount: row.amount },
      { accountId: await systemAccountId(tx, "network_fees"), amount: fee },
      ...(
        await charge(
          tx,
          row.userId,
          row.amount + fee,
          (owed) =>
            `withdrawal ${id} was refunded as not sent but went out after all; ${owed} sat are owed until an admin settles it`,
        )
      ).entries,
    ],
  });
  const [updated] = await tx
    .update(withdrawals)
    .set({ state: "sent", txid, fee, updatedAt: new Date() })
    .where(eq(withdrawals.id, id))
    .returning();
  return updated!;
}

/** The send did not happen: everything reserved goes back to the user. */
export async function release(tx: Handle, id: number): Promise<Withdrawal> {
  const row = await lockIntent(tx, id);
  const journal = {
    kind: "send_release",
    idempotencyKey: `withdrawal:${id}:release`,
    reservation: true,
  };
  return giveBack(tx, row, journal, []);
}

/**
 * Posts `entries` — plus the reservation back from "sends in flight" to the
 * user, when the send still held one — as one journal, and marks the
 * withdrawal refunded.
 */
export async function giveBack(
  tx: Handle,
  row: Withdrawal,
  journal: { kind: string; idempotencyKey: string; reservation: boolean },
  entries: readonly Entry[],
): Promise<Withdrawal> {
  const held = row.amount + row.maxFee;
  const reservation = journal.reservation
    ? [
        { accountId: await systemAccountId(tx, "sends_in_flight"), amount: -held },
        { accountId: await userAccountId(tx, row.userId), amount: held },
      ]
    : [];
  await post(tx, {
    kind: journal.kind,
    idempotencyKey: journal.idempotencyKey,
    withdrawalId: row.id,
    ...(row.orderId !== null ? { orderId: row.orderId } : {}),
    entries: [...entries, ...reservation],
  });
  const [updated] = await tx
    .update(withdrawals)
    // The database's clock: reconciliation's late-send window compares with its now().
    .set({ state: "refunded", updatedAt: sql`clock_timestamp()` })
    .where(eq(withdrawals.id, row.id))
    .returning();
  return updated!;
}

/** 1 + how many journals of `kind` the withdrawal has: the next one's number. */
export async function nextGeneration(tx: Handle, id: number, kind: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(journals)
    .where(and(eq(journals.withdrawalId, id), eq(journals.kind, kind)));
  return Number(row?.n ?? 0) + 1;
}
