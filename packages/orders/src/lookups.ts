import type { TransferOutcome } from "@bitcoim/accounts";
import type { BitcoimDb } from "@bitcoim/db";
import { paymentOrders } from "@bitcoim/db";
import { and, desc, eq, sql } from "drizzle-orm";

/**
 * The order look-ups every `confirm` and `cancel` makes, and the internal
 * payment itself, prepared once per orders service: the server plans them
 * once per connection, drizzle builds them once.
 */
export function prepareLookups(db: BitcoimDb) {
  const mine = and(
    eq(paymentOrders.senderId, sql.placeholder("sender")),
    eq(paymentOrders.code, sql.placeholder("code")),
  );
  return {
    pendingByCode: db
      .select()
      .from(paymentOrders)
      .where(and(mine, eq(paymentOrders.status, "pending")))
      .limit(1)
      .prepare("bitcoim_pending_order_by_code"),
    latestByCode: db
      .select()
      .from(paymentOrders)
      .where(mine)
      .orderBy(desc(paymentOrders.id))
      .limit(1)
      .prepare("bitcoim_latest_order_by_code"),
    /** Claims a pending order and moves its money to a user, or neither (migrations 0007, 0008). */
    payOrder: db
      .select({
        outcome: sql<TransferOutcome | "gone" | "no_outcome">`outcome`,
        reason: sql<string | null>`reason`,
        senderBalance: sql<string | null>`sender_balance::text`,
      })
      .from(
        sql`bitcoim.pay_order(${sql.placeholder("order")}::bigint, ${sql.placeholder("to")}::bigint, ${sql.placeholder("now")}::timestamptz)`,
      )
      .prepare("bitcoim_pay_order"),
    /** A new order, as `pay` queues it (the code is drawn by the caller). */
    insertOrder: db
      .insert(paymentOrders)
      .values({
        code: sql.placeholder("code"),
        senderId: sql.placeholder("senderId"),
        recipientUserId: sql.placeholder("recipientUserId"),
        recipientAddress: sql.placeholder("recipientAddress"),
        amount: sql.placeholder("amount"),
        comment: sql.placeholder("comment"),
        expiresAt: sql.placeholder("expiresAt"),
      })
      .returning()
      .prepare("bitcoim_insert_order"),
  };
}

export type OrderLookups = ReturnType<typeof prepareLookups>;
