import { journalEntries, journals, ledgerAccounts, users, withdrawals } from "@bitcoim/db";
import { and, desc, eq, inArray } from "drizzle-orm";
import { AccountsError } from "../errors.js";
import type { Handle } from "../unit-of-work.js";
import { userAccountId } from "./accounts.js";
import { post } from "./journal.js";
import { giveBack, nextGeneration, type Withdrawal } from "./withdrawals.js";

/**
 * A booked send that did not go out after all: another transaction spending
 * the same coins was mined instead (Core's negative confirmations). Its
 * latest booking — the settlement, or a late booking — is undone entry for
 * entry, whatever it took from the user including a shortfall booked as
 * owed; a settlement's reservation is given back too. One journal per
 * reversal; the withdrawal becomes `refunded`. Should the transaction
 * confirm after all (the conflict reorged out), `reinstate` books it again.
 */
export async function reverseSend(tx: Handle, id: number): Promise<Withdrawal> {
  const [row] = await tx.select().from(withdrawals).where(eq(withdrawals.id, id)).for("update");
  if (!row) throw new AccountsError("WITHDRAWAL_NOT_FOUND", `no withdrawal ${id}`);
  if (row.state !== "sent" && row.state !== "confirmed") {
    throw new AccountsError("WITHDRAWAL_STATE", `withdrawal ${id} is ${row.state}, not sent`);
  }
  const [booking] = await tx
    .select({ id: journals.id, kind: journals.kind })
    .from(journals)
    .where(and(eq(journals.withdrawalId, id), inArray(journals.kind, ["send_settle", "send_late"])))
    .orderBy(desc(journals.id))
    .limit(1);
  if (!booking) {
    throw new AccountsError("WITHDRAWAL_STATE", `withdrawal ${id} has no booking to reverse`);
  }
  const entries = await tx
    .select({ accountId: journalEntries.accountId, amount: journalEntries.amount })
    .from(journalEntries)
    .where(eq(journalEntries.journalId, booking.id));
  const generation = await nextGeneration(tx, id, "send_conflicted");
  const key = `withdrawal:${id}:conflicted:${generation}`;
  const reversed = await giveBack(
    tx,
    row,
    {
      kind: "send_conflicted",
      idempotencyKey: key,
      // A settlement emptied the reservation; a late booking had none.
      reservation: booking.kind === "send_settle",
    },
    entries.map((e) => ({ accountId: e.accountId, amount: -e.amount })),
  );
  await squareDebt(tx, row.userId, key);
  return reversed;
}

/**
 * After a reversal gave back a shortfall the booking had made owed: what
 * was settled of it meanwhile goes back to the user (a receivable never
 * holds the user's money), and with nothing owed any more their payments
 * are unblocked — the block's reason no longer holds.
 */
async function squareDebt(tx: Handle, userId: number, key: string): Promise<void> {
  const [receivable] = await tx
    .select({ id: ledgerAccounts.id, balance: ledgerAccounts.balance })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.userId, userId), eq(ledgerAccounts.kind, "reorg_receivable")))
    .for("update");
  if (!receivable || receivable.balance < 0n) return;
  if (receivable.balance > 0n) {
    await post(tx, {
      kind: "debt_refund",
      idempotencyKey: `${key}:debt`,
      entries: [
        { accountId: receivable.id, amount: -receivable.balance },
        { accountId: await userAccountId(tx, userId), amount: receivable.balance },
      ],
    });
  }
  await tx
    .update(users)
    .set({ paymentsBlocked: false, blockedReason: null, updatedAt: new Date() })
    .where(and(eq(users.id, userId), eq(users.paymentsBlocked, true)));
}
