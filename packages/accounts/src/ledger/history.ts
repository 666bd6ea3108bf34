import {
  deposits,
  journalEntries,
  journals,
  ledgerAccounts,
  paymentOrders,
  users,
  withdrawals,
} from "@bitcoim/db";
import { and, desc, eq, ne, notInArray, or, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Handle } from "../unit-of-work.js";
import { userAccountId } from "./accounts.js";

export interface Movement {
  /** Signed, in satoshis, as it changed the balance (a send counts amount + fee). */
  amount: bigint;
  direction: "in" | "out";
  kind: "transfer" | "deposit" | "deposit_reversal" | "send";
  /** The other user of a transfer. */
  counterpart?: { userId: number; username: string };
  /** The address a deposit arrived on, a send went to, or a transfer was paid to. */
  address?: string;
  txid?: string;
  /** Of a deposit, as last seen by the scanner. */
  confirmations?: number;
  /** Of a send: what the recipient gets, without the fee. */
  sent?: bigint;
  /** Of a send: its network fee once known, and whether it went out. */
  fee?: bigint;
  /** Of a send whose fee is not known yet: the most it may cost, held meanwhile. */
  maxFee?: bigint;
  state?: string;
  memo: string | null;
  at: Date;
}

export interface HistoryPage {
  items: Movement[];
  page: number;
  hasMore: boolean;
}

export interface HistoryQuery {
  page?: number;
  pageSize?: number;
  /** Only movements with this user, or with this address. */
  with?: { userId: number } | { address: string };
}

const other = alias(journalEntries, "other_entry");
const otherAccount = alias(ledgerAccounts, "other_account");
const otherUser = alias(users, "other_user");

/**
 * A user's movements, latest first. A send is one line whatever its steps
 * (reserve, then settle or release) and shows what it finally cost.
 */
export async function history(
  db: Handle,
  userId: number,
  query: HistoryQuery = {},
): Promise<HistoryPage> {
  const page = Math.max(1, Math.floor(query.page ?? 1));
  const size = Math.min(100, Math.max(1, Math.floor(query.pageSize ?? 20)));
  const account = await userAccountId(db, userId);
  const filters: SQL[] = [
    eq(journalEntries.accountId, account),
    notInArray(journals.kind, ["send_settle", "send_release", "send_conflicted"]),
  ];
  const w = query.with;
  if (w && "userId" in w) filters.push(eq(otherUser.id, w.userId));
  if (w && "address" in w) {
    // A payment to one of our users' addresses is a transfer: its order names the address.
    filters.push(
      or(
        eq(deposits.address, w.address),
        eq(withdrawals.address, w.address),
        eq(paymentOrders.recipientAddress, w.address),
      )!,
    );
  }
  const rows = await db
    .select({
      amount: journalEntries.amount,
      kind: journals.kind,
      memo: journals.memo,
      at: journals.createdAt,
      deposit: deposits,
      withdrawal: withdrawals,
      counterpartId: otherUser.id,
      counterpartName: otherUser.username,
      orderAddress: paymentOrders.recipientAddress,
    })
    .from(journalEntries)
    .innerJoin(journals, eq(journals.id, journalEntries.journalId))
    .leftJoin(deposits, eq(deposits.id, journals.depositId))
    .leftJoin(withdrawals, eq(withdrawals.id, journals.withdrawalId))
    .leftJoin(paymentOrders, eq(paymentOrders.id, journals.orderId))
    .leftJoin(
      other,
      and(
        eq(other.journalId, journals.id),
        ne(other.id, journalEntries.id),
        eq(journals.kind, "transfer"),
      ),
    )
    .leftJoin(
      otherAccount,
      and(eq(otherAccount.id, other.accountId), eq(otherAccount.kind, "user")),
    )
    .leftJoin(otherUser, eq(otherUser.id, otherAccount.userId))
    .where(and(...filters))
    .orderBy(desc(journalEntries.id))
    .limit(size + 1)
    .offset((page - 1) * size);
  const items = rows.slice(0, size).map((r): Movement => {
    const base = { memo: r.memo, at: r.at };
    if (r.withdrawal) {
      const w = r.withdrawal;
      const cost = w.state === "refunded" ? 0n : w.amount + (w.fee ?? w.maxFee);
      return {
        ...base,
        amount: -cost,
        direction: "out",
        kind: "send",
        address: w.address,
        ...(w.txid ? { txid: w.txid } : {}),
        sent: w.amount,
        ...(w.fee !== null ? { fee: w.fee } : { maxFee: w.maxFee }),
        state: w.state,
      };
    }
    if (r.deposit) {
      return {
        ...base,
        amount: r.amount,
        direction: r.amount < 0n ? "out" : "in",
        kind: r.kind === "deposit_reversal" ? "deposit_reversal" : "deposit",
        address: r.deposit.address,
        txid: r.deposit.txid,
        confirmations: r.deposit.confirmations,
        state: r.deposit.state,
      };
    }
    return {
      ...base,
      amount: r.amount,
      direction: r.amount < 0n ? "out" : "in",
      kind: "transfer",
      ...(r.counterpartId !== null && r.counterpartName !== null
        ? { counterpart: { userId: r.counterpartId, username: r.counterpartName } }
        : {}),
      ...(r.orderAddress !== null ? { address: r.orderAddress } : {}),
    };
  });
  return { items, page, hasMore: rows.length > size };
}
