import { inTransaction } from "@bitcoim/accounts";
import { feeQuotes, paymentOrders } from "@bitcoim/db";
import { and, asc, eq, gt, lte } from "drizzle-orm";
import { normaliseCode } from "./code.js";
import type { OrdersContext } from "./context.js";
import type { Order } from "./events.js";
import type { Recipient } from "./queue.js";
import { isLive, move, moveAll, notFound } from "./state.js";

export const isFor = (order: Order, recipient: Recipient) =>
  "userId" in recipient
    ? order.recipientUserId === recipient.userId
    : order.recipientAddress === recipient.address;

/** A pending order, with the exact fee its payer was last shown (on-chain, when known). */
export type PendingOrder = Order & { quotedFee?: bigint };

/** Pending, unexpired orders of a sender, oldest first; optionally only those to one recipient. */
export async function listPending(
  ctx: OrdersContext,
  senderId: number,
  recipient?: Recipient,
): Promise<PendingOrder[]> {
  const found = await ctx.db
    .select({ order: paymentOrders, quotedFee: feeQuotes.fee })
    .from(paymentOrders)
    .leftJoin(feeQuotes, eq(feeQuotes.orderId, paymentOrders.id))
    .where(
      and(
        eq(paymentOrders.senderId, senderId),
        eq(paymentOrders.status, "pending"),
        gt(paymentOrders.expiresAt, ctx.now()),
      ),
    )
    .orderBy(asc(paymentOrders.createdAt), asc(paymentOrders.id));
  const rows = found.map(({ order, quotedFee }) =>
    quotedFee === null ? order : { ...order, quotedFee },
  );
  return recipient ? rows.filter((o) => isFor(o, recipient)) : rows;
}

/**
 * The sender's order with this code: the pending one if any, else the most
 * recent one that had it (to tell "already paid" from "not found").
 */
export async function findByCode(ctx: OrdersContext, senderId: number, code: string) {
  // Two indexed, prepared look-ups rather than one sort over all of the sender's orders.
  const key = { sender: senderId, code: normaliseCode(code) };
  const [pending] = await ctx.lookups.pendingByCode.execute(key);
  if (pending) return pending;
  const [latest] = await ctx.lookups.latestByCode.execute(key);
  return latest;
}

/** Cancels a pending order; `elsewhere` says it was not addressed to the given recipient. */
export async function cancel(
  ctx: OrdersContext,
  senderId: number,
  code: string,
  recipient?: Recipient,
) {
  const found = await findByCode(ctx, senderId, code);
  if (!isLive(found, ctx.now())) throw notFound(code);
  return inTransaction(ctx.db, async (tx, afterCommit) => {
    const step = { tx, afterCommit, events: ctx.events };
    const order = await move(step, found, { from: "pending", to: "cancelled" }, {}, (order) => [
      "orderCancelled",
      { order },
    ]);
    if (!order) throw notFound(code);
    return { order, elsewhere: recipient !== undefined && !isFor(order, recipient) };
  });
}

/** Marks pending orders past their lifetime as expired; safe to run in several processes. */
export async function expire(ctx: OrdersContext): Promise<Order[]> {
  return inTransaction(ctx.db, (tx, afterCommit) =>
    moveAll(
      { tx, afterCommit, events: ctx.events },
      lte(paymentOrders.expiresAt, ctx.now()),
      { from: "pending", to: "expired" },
      {},
      (order) => ["orderExpired", { order }],
    ),
  );
}
