import { chainCursor, depositAddresses, deposits, ledgerAccounts, users } from "@bitcoim/db";
import type { DepositEvent } from "@bitcoim/wallet";
import { and, asc, eq, inArray, or } from "drizzle-orm";
import type { DepositNotice } from "../events-map.js";
import type { Tx } from "../unit-of-work.js";
import { systemAccountId, userAccountId } from "./accounts.js";
import { charge } from "./debt.js";
import { post } from "./journal.js";

export interface ScanResult {
  /** The step the caller scanned from; if another process moved the cursor meanwhile, nothing is applied. */
  from: string | null;
  next: string;
  events: DepositEvent[];
}

export interface AppliedDeposits {
  applied: boolean;
  seen: DepositNotice[];
  credited: DepositNotice[];
  reversed: DepositNotice[];
  /** Seen, never credited, and double-spent: it will not arrive. */
  dropped: DepositNotice[];
}

type Row = typeof deposits.$inferSelect;

/**
 * Applies one deposit-scanner step and moves the cursor, in the caller's
 * transaction (docs/architecture.md §5.3): a crash leaves both undone,
 * so the step is simply scanned and applied again. Each credit and reversal
 * posts a journal keyed by the output and its generation, so an output is
 * credited at most once at a time whatever happens.
 */
export async function applyScan(
  tx: Tx,
  wallet: string,
  step: ScanResult,
  dustMinimum: bigint,
): Promise<AppliedDeposits> {
  const result: AppliedDeposits = {
    applied: false,
    seen: [],
    credited: [],
    reversed: [],
    dropped: [],
  };
  const [cursor] = await tx
    .select()
    .from(chainCursor)
    .where(eq(chainCursor.wallet, wallet))
    .for("update");
  if ((cursor?.blockHash ?? null) !== step.from) return result;
  const inflow = await systemAccountId(tx, "wallet_inflow");
  await lockAccounts(tx, inflow, step.events);
  for (const event of step.events) {
    const [owner] = await tx
      .select({ userId: depositAddresses.userId, jid: users.jid })
      .from(depositAddresses)
      .innerJoin(users, eq(users.id, depositAddresses.userId))
      .where(eq(depositAddresses.address, event.address));
    if (!owner) continue; // an address of the wallet that is no deposit address
    const row = await lockOrInsert(tx, event, dustMinimum);
    const notice = (r: Row, shortfall = 0n): DepositNotice => ({
      userId: owner.userId,
      jid: owner.jid,
      txid: r.txid,
      vout: r.vout,
      address: r.address,
      amount: r.amount,
      confirmations: event.confirmations,
      generation: r.generation,
      shortfall,
    });
    const update = (set: Partial<Row>) =>
      tx
        .update(deposits)
        .set({
          ...set,
          confirmations: event.confirmations,
          blockHash: event.blockHash ?? null,
          updatedAt: new Date(),
        })
        .where(eq(deposits.id, row.id))
        .returning()
        .then((r) => r[0]!);

    if (event.kind === "seen") {
      if (row.state === "seen" || row.state === "reversed") {
        result.seen.push(notice(await update({ state: "seen" })));
      } else await update({});
    } else if (event.kind === "confirmed") {
      if (row.state === "ignored" || row.state === "credited") {
        await update({});
        continue;
      }
      const generation = row.generation + 1;
      const credited = await update({ state: "credited", generation });
      await post(tx, {
        kind: "deposit_credit",
        memo: null,
        idempotencyKey: `deposit:${row.txid}:${row.vout}:credit:${generation}`,
        depositId: row.id,
        entries: [
          { accountId: await userAccountId(tx, owner.userId), amount: row.amount },
          { accountId: inflow, amount: -row.amount },
        ],
      });
      result.credited.push(notice(credited));
    } else if (row.state === "credited") {
      const shortfall = await reverse(tx, row, owner.userId, inflow);
      result.reversed.push(notice(await update({ state: "reversed" }), shortfall));
    } else if (row.state === "seen") {
      const updated = await update({ state: "reversed" });
      // Conflicted, it will not arrive: say so. Merely reorged back into the
      // mempool, it is seen again at once; nothing to say.
      if (event.confirmations < 0) result.dropped.push(notice(updated));
    }
  }
  await tx
    .insert(chainCursor)
    .values({ wallet, blockHash: step.next })
    .onConflictDoUpdate({
      target: chainCursor.wallet,
      set: { blockHash: step.next, updatedAt: new Date() },
    });
  result.applied = true;
  return result;
}

/**
 * Takes every account the step may move, in account order, before moving
 * any: a step credits several users in one transaction, in the order the
 * node lists them, while a transfer locks its two users' accounts in account
 * order. Locking them as they come made the two wait for each other in a
 * circle, and PostgreSQL failed one of them ("deadlock detected").
 */
async function lockAccounts(tx: Tx, inflow: number, events: DepositEvent[]): Promise<void> {
  const addresses = [...new Set(events.map((e) => e.address))];
  if (addresses.length === 0) return;
  const owners = tx
    .select({ userId: depositAddresses.userId })
    .from(depositAddresses)
    .where(inArray(depositAddresses.address, addresses));
  await tx
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(or(eq(ledgerAccounts.id, inflow), inArray(ledgerAccounts.userId, owners)))
    .orderBy(asc(ledgerAccounts.id))
    .for("no key update");
}

async function lockOrInsert(tx: Tx, event: DepositEvent, dustMinimum: bigint): Promise<Row> {
  const where = and(eq(deposits.txid, event.txid), eq(deposits.vout, event.vout));
  const [existing] = await tx.select().from(deposits).where(where).for("update");
  if (existing) return existing;
  const [inserted] = await tx
    .insert(deposits)
    .values({
      txid: event.txid,
      vout: event.vout,
      address: event.address,
      amount: event.amount,
      confirmations: event.confirmations,
      blockHash: event.blockHash ?? null,
      // Below the dust minimum: recorded, never credited (docs/behaviour.md §8).
      state: event.amount < dustMinimum ? "ignored" : "seen",
    })
    .returning();
  return inserted!;
}

/**
 * Takes a credited deposit back. What the user no longer has is booked to
 * their reorg receivable and blocks their outgoing payments until an admin
 * settles it (docs/architecture.md §5.3). Returns that shortfall.
 */
async function reverse(tx: Tx, row: Row, userId: number, inflow: number): Promise<bigint> {
  const { entries, owed } = await charge(
    tx,
    userId,
    row.amount,
    (shortfall) =>
      `a deposit (${row.txid}:${row.vout}) was taken back by a chain reorganisation after you had spent it; ${shortfall} sat are owed until an admin settles it`,
  );
  await post(tx, {
    kind: "deposit_reversal",
    memo: null,
    idempotencyKey: `deposit:${row.txid}:${row.vout}:reverse:${row.generation}`,
    depositId: row.id,
    entries: [{ accountId: inflow, amount: row.amount }, ...entries],
  });
  return owed;
}
