import type { TransferOutcome } from "@bitcoim/accounts";
import type { BitcoimDb } from "@bitcoim/db";
import { paymentOrders } from "@bitcoim/db";
import { and, desc, eq, getTableColumns, type SQL, sql } from "drizzle-orm";

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
      .select(payAnswer())
      .from(
        sql`bitcoim.pay_order(${sql.placeholder("order")}::bigint, ${sql.placeholder("to")}::bigint, ${sql.placeholder("now")}::timestamptz)`,
      )
      .prepare("bitcoim_pay_order"),
    /**
     * Finds the sender's pending order by code and pays its user, in one
     * call (migration 0012); no row when the order is not such a payment.
     */
    payByCode: db
      .select({ ...payAnswer(), ...orderAs("o_") })
      .from(
        sql`bitcoim.pay_order_by_code(${sql.placeholder("sender")}::bigint, ${sql.placeholder("code")}::text, ${sql.placeholder("to")}::bigint, ${sql.placeholder("now")}::timestamptz)`,
      )
      .prepare("bitcoim_pay_order_by_code"),
    /**
     * `payByCode` for a sender known only by JID, and a contact written to by
     * username key, in one call (migration 0014): no row when the JID is no
     * registered user.
     */
    payAs: db
      .select({
        sender: sql<Record<string, unknown>>`sender`,
        target: sql<Record<string, unknown> | null>`target`,
        payee: sql<Record<string, unknown> | null>`payee`,
        // All null when there was no such order to pay.
        ...(payAnswer() as Nullable<ReturnType<typeof payAnswer>>),
        ...orderAs("o_"),
      })
      .from(
        sql`bitcoim.pay_order_as(${sql.placeholder("jid")}::text, ${sql.placeholder("code")}::text, ${sql.placeholder("toKey")}::text, ${sql.placeholder("now")}::timestamptz)`,
      )
      .prepare("bitcoim_pay_order_as"),
    /**
     * A new order, as `pay` queues it (the code is drawn by the caller),
     * with the sender's confirmed balance read in the same statement, for
     * the summary.
     */
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
      .returning({
        ...getTableColumns(paymentOrders),
        senderConfirmed: sql<string>`(select b.confirmed from bitcoim.user_balance(${paymentOrders.senderId}) b)::text`,
      })
      .prepare("bitcoim_insert_order"),
  };
}

export type OrderLookups = ReturnType<typeof prepareLookups>;

type OrderColumns = typeof paymentOrders._.columns;

/** What `pay_order` answers, and the functions that pass its answer on. */
function payAnswer() {
  return {
    outcome: sql<TransferOutcome | "gone" | "no_outcome">`outcome`,
    reason: sql<string | null>`reason`,
    senderBalance: sql<string | null>`sender_balance::text`,
  };
}

type Nullable<T> = { [K in keyof T]: T[K] extends SQL<infer V> ? SQL<V | null> : never };

/**
 * The order's columns as a function returns them, each named `prefix` +
 * its column name and read back through the column's own decoder: the
 * schema stays the one list of them.
 */
function orderAs(prefix: string) {
  const columns = getTableColumns(paymentOrders);
  return Object.fromEntries(
    Object.entries(columns).map(([key, column]) => [
      key,
      sql.raw(`${prefix}${column.name}`).mapWith(column),
    ]),
  ) as { [K in keyof OrderColumns]: SQL<OrderColumns[K]["_"]["data"]> };
}
