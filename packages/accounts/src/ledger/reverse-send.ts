import { journalEntries, journals, withdrawals } from "@bitcoim/db";
import { and, eq } from "drizzle-orm";
import { AccountsError } from "../errors.js";
import type { Handle } from "../unit-of-work.js";
import { giveBack, type Withdrawal } from "./withdrawals.js";

/**
 * A booked send that did not go out after all: another transaction spending
 * the same coins was mined instead (Core's negative confirmations). Its
 * settlement is undone entry for entry — whatever it took from the user,
 * including a shortfall booked as owed — and the reservation given back, in
 * one journal; the withdrawal becomes `refunded`. Should the transaction
 * confirm after all (the conflict reorged out), `reinstate` books it again.
 */
export async function reverseSend(tx: Handle, id: number): Promise<Withdrawal> {
  const [row] = await tx.select().from(withdrawals).where(eq(withdrawals.id, id)).for("update");
  if (!row) throw new AccountsError("WITHDRAWAL_NOT_FOUND", `no withdrawal ${id}`);
  if (row.state !== "sent" && row.state !== "confirmed") {
    throw new AccountsError("WITHDRAWAL_STATE", `withdrawal ${id} is ${row.state}, not sent`);
  }
  const settled = await tx
    .select({ accountId: journalEntries.accountId, amount: journalEntries.amount })
    .from(journalEntries)
    .innerJoin(journals, eq(journals.id, journalEntries.journalId))
    .where(
      and(eq(journals.withdrawalId, id), eq(journals.idempotencyKey, `withdrawal:${id}:settle`)),
    );
  if (settled.length === 0) {
    throw new AccountsError("WITHDRAWAL_STATE", `withdrawal ${id} has no settlement to reverse`);
  }
  // Undo the settlement; the reservation it emptied goes back as `release` would give it.
  return giveBack(
    tx,
    row,
    "conflicted",
    settled.map((e) => ({ accountId: e.accountId, amount: -e.amount })),
  );
}
