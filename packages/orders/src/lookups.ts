import type { BitcoimDb } from "@bitcoim/db";
import { paymentOrders } from "@bitcoim/db";
import { and, desc, eq, sql } from "drizzle-orm";

/**
 * The order look-ups every `confirm` and `cancel` makes, prepared once per
 * orders service: the server plans them once per connection, drizzle builds
 * them once.
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
  };
}

export type OrderLookups = ReturnType<typeof prepareLookups>;
