import type { BitcoimDb } from "@bitcoim/db";
import { deposits, journalEntries, ledgerAccounts, withdrawals } from "@bitcoim/db";
import { and, eq, sql } from "drizzle-orm";
import type { Handle } from "../unit-of-work.js";

export interface AuditReport {
  ok: boolean;
  problems: string[];
  totals: {
    /** What users can spend: the gateway's liability. */
    userBalances: bigint;
    /** Reorg and fee debts users owe (positive). */
    owed: bigint;
    inFlight: bigint;
    sentOnChain: bigint;
    networkFees: bigint;
    /** Credited deposits, net of reversals. */
    deposited: bigint;
  };
}

/**
 * Checks the ledger invariant (docs/architecture.md §5.2) and the bookkeeping
 * behind it. Cheap enough to run after every test; admins run it from chat.
 * users − owed + sent on-chain + fees + in flight = deposited (credited − reversed).
 */
export async function audit(db: BitcoimDb): Promise<AuditReport> {
  // One snapshot for every query, so that movements in progress raise no false alarm.
  return db.transaction((tx) => check(tx), {
    isolationLevel: "repeatable read",
    accessMode: "read only",
  });
}

async function check(db: Handle): Promise<AuditReport> {
  const problems: string[] = [];
  const accounts = await db
    .select({
      id: ledgerAccounts.id,
      kind: ledgerAccounts.kind,
      balance: ledgerAccounts.balance,
      entries: sql<string>`coalesce(sum(${journalEntries.amount}), 0)`,
    })
    .from(ledgerAccounts)
    .leftJoin(journalEntries, eq(journalEntries.accountId, ledgerAccounts.id))
    .groupBy(ledgerAccounts.id);
  const total = (kind: string) =>
    accounts.filter((a) => a.kind === kind).reduce((s, a) => s + a.balance, 0n);
  for (const a of accounts) {
    if (BigInt(a.entries) !== a.balance) {
      problems.push(
        `account ${a.id} (${a.kind}) caches ${a.balance} sat, its entries sum to ${a.entries}`,
      );
    }
    if (a.kind === "user" && a.balance < 0n) problems.push(`user account ${a.id} is negative`);
  }
  const unbalanced = await db
    .select({
      journalId: journalEntries.journalId,
      sum: sql<string>`sum(${journalEntries.amount})`,
    })
    .from(journalEntries)
    .groupBy(journalEntries.journalId)
    .having(sql`sum(${journalEntries.amount}) <> 0`);
  for (const j of unbalanced) problems.push(`journal ${j.journalId} sums to ${j.sum}, not 0`);
  const [credited] = await db
    .select({ sum: sql<string>`coalesce(sum(${deposits.amount}), 0)` })
    .from(deposits)
    .where(eq(deposits.state, "credited"));
  const [reserved] = await db
    .select({ sum: sql<string>`coalesce(sum(${withdrawals.amount} + ${withdrawals.maxFee}), 0)` })
    .from(withdrawals)
    .where(and(eq(withdrawals.state, "intent")));
  const totals = {
    userBalances: total("user"),
    owed: -total("reorg_receivable"),
    inFlight: total("sends_in_flight"),
    sentOnChain: total("wallet_outflow"),
    networkFees: total("network_fees"),
    deposited: -total("wallet_inflow"),
  };
  const lhs =
    totals.userBalances - totals.owed + totals.sentOnChain + totals.networkFees + totals.inFlight;
  if (lhs !== totals.deposited) {
    problems.push(
      `users − owed + sent + fees + in flight = ${lhs} sat, but deposited = ${totals.deposited} sat`,
    );
  }
  if (BigInt(credited!.sum) !== totals.deposited) {
    problems.push(
      `credited deposits sum to ${credited!.sum} sat, the wallet inflow account says ${totals.deposited}`,
    );
  }
  if (BigInt(reserved!.sum) !== totals.inFlight) {
    problems.push(
      `unfinished withdrawals hold ${reserved!.sum} sat, sends in flight says ${totals.inFlight}`,
    );
  }
  return { ok: problems.length === 0, problems, totals };
}
