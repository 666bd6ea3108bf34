import { isCheckViolation } from "@bitcoim/db";
import { sql } from "drizzle-orm";
import { AccountsError } from "../errors.js";
import type { Handle } from "../unit-of-work.js";
import type { Posted } from "./journal.js";

export interface TransferInput {
  fromUserId: number;
  toUserId: number;
  amount: bigint;
  memo?: string | null;
  /** Posting the same key twice moves the money once (e.g. `order:<id>`). */
  idempotencyKey: string;
  orderId?: number;
}

/** What `bitcoim.transfer` answers: posted or duplicate, or why it refused. */
export type TransferOutcome =
  | "posted"
  | "duplicate"
  | "blocked"
  | "sender_not_found"
  | "recipient_not_found";

interface Outcome {
  journal_id: string | number | bigint | null;
  outcome: TransferOutcome;
  reason: string | null;
}

/**
 * Moves money between two users' accounts in one call to the database's
 * `bitcoim.transfer` function (migration 0003): it checks the sender may
 * pay, finds both accounts and posts the journal and its entries, and the
 * ledger rules move the balances and refuse a negative one. Transfers are
 * the hot path, so every round trip and every plan counts. On a bare
 * database handle the call is its own transaction; given a transaction, it
 * joins it.
 */
export async function transfer(db: Handle, input: TransferInput): Promise<Posted> {
  if (input.amount <= 0n) {
    throw new AccountsError("AMOUNT_NOT_POSITIVE", "a transfer moves a positive amount");
  }
  if (input.fromUserId === input.toUserId) {
    throw new AccountsError("SAME_ACCOUNT", "you cannot pay yourself");
  }
  let outcome: Outcome;
  try {
    // Prepared (named): the server parses and plans the call once per connection.
    [outcome] = (await db
      .select({
        journal_id: sql<string | null>`journal_id::text`,
        outcome: sql<Outcome["outcome"]>`outcome`,
        reason: sql<string | null>`reason`,
      })
      .from(
        sql`bitcoim.transfer(${sql.placeholder("from")}, ${sql.placeholder("to")}, ${sql.placeholder("amount")}::bigint, ${sql.placeholder("memo")}, ${sql.placeholder("key")}, ${sql.placeholder("order")}::bigint)`,
      )
      .prepare("bitcoim_transfer")
      .execute({
        from: input.fromUserId,
        to: input.toUserId,
        amount: input.amount.toString(),
        memo: input.memo ?? null,
        key: input.idempotencyKey,
        order: input.orderId ?? null,
      })) as [Outcome];
  } catch (error) {
    throw fundsRefusal(error) ?? error;
  }
  const refused = transferRefusal(outcome.outcome, outcome.reason, input);
  if (refused) throw refused;
  return { journalId: Number(outcome.journal_id), posted: outcome.outcome === "posted" };
}

/**
 * The error for a transfer `bitcoim.transfer` refused (also when another
 * database function called it); undefined when it posted, or had already.
 */
export function transferRefusal(
  outcome: TransferOutcome,
  reason: string | null,
  input: Pick<TransferInput, "fromUserId" | "toUserId">,
): AccountsError | undefined {
  switch (outcome) {
    case "sender_not_found":
      return notFound(input.fromUserId);
    case "recipient_not_found":
      return notFound(input.toUserId);
    case "blocked":
      return blocked(reason);
    default:
      return undefined;
  }
}

/** INSUFFICIENT_FUNDS when `error` is the ledger refusing a negative user balance. */
export function fundsRefusal(error: unknown): AccountsError | undefined {
  if (!isCheckViolation(error, "ledger_accounts_user_not_negative")) return undefined;
  return new AccountsError("INSUFFICIENT_FUNDS", "the balance is too low for this", {
    cause: error,
  });
}

/** `execute` answers an array on postgres.js and `{ rows }` on PGlite. */
export function rowsOf<Row>(result: unknown): Row[] {
  return Array.isArray(result) ? (result as Row[]) : (result as { rows: Row[] }).rows;
}

const notFound = (userId: number) =>
  new AccountsError("USER_NOT_FOUND", `no user with id ${userId}`);

export const blocked = (reason: string | null) =>
  new AccountsError(
    "PAYMENTS_BLOCKED",
    `your outgoing payments are blocked: ${reason ?? "ask an admin"}`,
  );
