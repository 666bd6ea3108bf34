import { users } from "@bitcoim/db";
import { eq } from "drizzle-orm";
import { AccountsError } from "../errors.js";
import type { Handle } from "../unit-of-work.js";
import { userAccountId } from "./accounts.js";
import { type Posted, post } from "./journal.js";

export interface TransferInput {
  fromUserId: number;
  toUserId: number;
  amount: bigint;
  memo?: string | null;
  /** Posting the same key twice moves the money once (e.g. `order:<id>`). */
  idempotencyKey: string;
  orderId?: number;
}

/** Moves money between two users' accounts; run it inside the caller's transaction. */
export async function transfer(tx: Handle, input: TransferInput): Promise<Posted> {
  if (input.amount <= 0n) {
    throw new AccountsError("AMOUNT_NOT_POSITIVE", "a transfer moves a positive amount");
  }
  if (input.fromUserId === input.toUserId) {
    throw new AccountsError("SAME_ACCOUNT", "you cannot pay yourself");
  }
  const [sender] = await tx
    .select({ blocked: users.paymentsBlocked, reason: users.blockedReason })
    .from(users)
    .where(eq(users.id, input.fromUserId));
  if (!sender) throw new AccountsError("USER_NOT_FOUND", `no user with id ${input.fromUserId}`);
  if (sender.blocked) throw blocked(sender.reason);
  const [from, to] = await Promise.all([
    userAccountId(tx, input.fromUserId),
    userAccountId(tx, input.toUserId),
  ]);
  return post(tx, {
    kind: "transfer",
    memo: input.memo ?? null,
    idempotencyKey: input.idempotencyKey,
    ...(input.orderId !== undefined ? { orderId: input.orderId } : {}),
    entries: [
      { accountId: from, amount: -input.amount },
      { accountId: to, amount: input.amount },
    ],
  });
}

export const blocked = (reason: string | null) =>
  new AccountsError(
    "PAYMENTS_BLOCKED",
    `your outgoing payments are blocked: ${reason ?? "ask an admin"}`,
  );
