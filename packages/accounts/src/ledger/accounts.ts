import { ledgerAccounts } from "@bitcoim/db";
import { and, eq, isNull } from "drizzle-orm";
import { AccountsError } from "../errors.js";
import type { Handle } from "../unit-of-work.js";

export type SystemAccount = "wallet_inflow" | "wallet_outflow" | "sends_in_flight" | "network_fees";

/** The id of a system account (seeded by the migrations). */
export async function systemAccountId(db: Handle, kind: SystemAccount): Promise<number> {
  const [row] = await db
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.kind, kind), isNull(ledgerAccounts.userId)));
  if (!row) throw new Error(`system account ${kind} is missing: the database was not migrated`);
  return row.id;
}

/** A user's spendable account, created with the user. */
export async function userAccountId(db: Handle, userId: number): Promise<number> {
  const [row] = await db
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.kind, "user"), eq(ledgerAccounts.userId, userId)));
  if (!row) throw new AccountsError("USER_NOT_FOUND", `no user with id ${userId}`);
  return row.id;
}

/** What a user owes after a reorg took back a deposit they had spent; made on first need. */
export async function receivableAccountId(db: Handle, userId: number): Promise<number> {
  const [created] = await db
    .insert(ledgerAccounts)
    .values({ kind: "reorg_receivable", userId })
    .onConflictDoNothing()
    .returning({ id: ledgerAccounts.id });
  if (created) return created.id;
  const [row] = await db
    .select({ id: ledgerAccounts.id })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.kind, "reorg_receivable"), eq(ledgerAccounts.userId, userId)));
  return row!.id;
}
