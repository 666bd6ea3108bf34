import { ledgerAccounts, users } from "@bitcoim/db";
import { minSats } from "@bitcoim/wallet";
import { eq } from "drizzle-orm";
import type { Handle } from "../unit-of-work.js";
import { receivableAccountId, userAccountId } from "./accounts.js";

/**
 * Debits `amount` from a user as far as their balance goes; the rest is
 * booked to their receivable and blocks their outgoing payments (a reorg
 * that takes back a spent deposit, a send that went out after its refund, a
 * fee over its reservation: visible, never ignored). Returns the user's side
 * of the journal, and what is owed.
 */
export async function charge(
  tx: Handle,
  userId: number,
  amount: bigint,
  reason: (owed: bigint) => string,
) {
  if (amount <= 0n) return { entries: [], owed: 0n };
  const account = await userAccountId(tx, userId);
  // The lock a balance move takes, no stronger: a deposit scan holds it
  // already, and asking for FOR UPDATE on top waited for the key-share lock
  // a concurrent journal entry's foreign key holds while that entry waits
  // for the scan — a deadlock (test/lock-order.test.ts).
  const [locked] = await tx
    .select({ balance: ledgerAccounts.balance })
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.id, account))
    .for("no key update");
  const paid = minSats(locked!.balance, amount);
  const owed = amount - paid;
  const entries = [{ accountId: account, amount: -paid }];
  if (owed > 0n) {
    entries.push({ accountId: await receivableAccountId(tx, userId), amount: -owed });
    await tx
      .update(users)
      .set({
        paymentsBlocked: true,
        blockedReason: reason(owed),
        updatedAt: new Date(),
      })
      .where(eq(users.id, userId));
  }
  return { entries, owed };
}
