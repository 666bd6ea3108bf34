import { isCheckViolation, journalEntries, journals } from "@bitcoim/db";
import { eq } from "drizzle-orm";
import { AccountsError } from "../errors.js";
import type { Handle } from "../unit-of-work.js";

export interface Entry {
  accountId: number;
  amount: bigint;
}

export interface JournalInput {
  kind: string;
  memo?: string | null;
  /** Unique per movement: posting the same key twice posts once. */
  idempotencyKey: string;
  orderId?: number;
  depositId?: number;
  withdrawalId?: number;
  entries: Entry[];
}

export interface Posted {
  journalId: number;
  /** False when a journal with this key already existed and nothing was posted. */
  posted: boolean;
}

/**
 * Posts a balanced journal. The database moves the cached balances, refuses
 * a negative user balance and an unbalanced journal (migration 0001);
 * entries go in account order so that concurrent journals lock accounts in
 * the same order and cannot deadlock.
 */
export async function post(tx: Handle, input: JournalInput): Promise<Posted> {
  const merged = new Map<number, bigint>();
  for (const e of input.entries)
    merged.set(e.accountId, (merged.get(e.accountId) ?? 0n) + e.amount);
  const entries = [...merged].filter(([, amount]) => amount !== 0n).sort(([a], [b]) => a - b);
  if (entries.length === 0) throw new Error(`journal ${input.idempotencyKey} moves nothing`);
  const [journal] = await tx
    .insert(journals)
    .values({
      kind: input.kind,
      memo: input.memo ?? null,
      idempotencyKey: input.idempotencyKey,
      orderId: input.orderId ?? null,
      depositId: input.depositId ?? null,
      withdrawalId: input.withdrawalId ?? null,
    })
    .onConflictDoNothing({ target: journals.idempotencyKey })
    .returning({ id: journals.id });
  if (!journal) {
    const [existing] = await tx
      .select({ id: journals.id })
      .from(journals)
      .where(eq(journals.idempotencyKey, input.idempotencyKey));
    return { journalId: existing!.id, posted: false };
  }
  try {
    await tx
      .insert(journalEntries)
      .values(entries.map(([accountId, amount]) => ({ journalId: journal.id, accountId, amount })));
  } catch (error) {
    if (isCheckViolation(error, "ledger_accounts_user_not_negative")) {
      throw new AccountsError("INSUFFICIENT_FUNDS", "the balance is too low for this", {
        cause: error,
      });
    }
    throw error;
  }
  return { journalId: journal.id, posted: true };
}
