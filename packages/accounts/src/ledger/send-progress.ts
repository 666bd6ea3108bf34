/**
 * How a send goes on after its money moved (docs/architecture.md §5.5): the
 * transaction that carries it, its confirmation, and a reorganisation that
 * takes that back. These writes post nothing to the ledger; with
 * withdrawals.ts they are the only writers of the `withdrawals` table.
 */
import { withdrawals } from "@bitcoim/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import { AccountsError } from "../errors.js";
import type { Handle } from "../unit-of-work.js";
import type { Withdrawal } from "./withdrawals.js";

/** The transaction that carries the send, on record before its fee is read back and booked. */
export async function recordTxid(tx: Handle, id: number, txid: string): Promise<Withdrawal> {
  const [row] = await tx
    .update(withdrawals)
    .set({ txid })
    .where(eq(withdrawals.id, id))
    .returning();
  if (!row) throw new AccountsError("WITHDRAWAL_NOT_FOUND", `no withdrawal ${id}`);
  return row;
}

/**
 * A sent payment now carried by a replacement paying the same (an operator's
 * fee bump): its txid is the receipt, and its confirmation is told anew.
 * Undefined when the send is not `sent` any more.
 */
export async function followReplacement(
  tx: Handle,
  id: number,
  txid: string,
): Promise<Withdrawal | undefined> {
  const [row] = await tx
    .update(withdrawals)
    .set({ txid, confirmedAt: null, updatedAt: new Date() })
    .where(and(eq(withdrawals.id, id), eq(withdrawals.state, "sent")))
    .returning();
  return row;
}

/** Mined deep enough. Undefined when it was not `sent` (another process marked it first). */
export async function markConfirmed(tx: Handle, id: number): Promise<Withdrawal | undefined> {
  const [row] = await tx
    .update(withdrawals)
    .set({
      state: "confirmed",
      updatedAt: new Date(),
      // The first confirmation is kept: a send mined again after a reorg was told already.
      confirmedAt: sql`coalesce(${withdrawals.confirmedAt}, now())`,
    })
    .where(and(eq(withdrawals.id, id), eq(withdrawals.state, "sent")))
    .returning();
  return row;
}

/** Confirmed sends among `txids` whose block a reorganisation took: `sent` again, to be followed. */
export async function reopen(tx: Handle, txids: readonly string[]): Promise<number> {
  if (txids.length === 0) return 0;
  const rows = await tx
    .update(withdrawals)
    .set({ state: "sent", updatedAt: new Date() })
    .where(and(eq(withdrawals.state, "confirmed"), inArray(withdrawals.txid, [...txids])))
    .returning({ id: withdrawals.id });
  return rows.length;
}
