/**
 * An order's life (docs/architecture.md §5.4) in one place: which status
 * changes exist, the rule that lets one execute, and the one way a status
 * is written. Every change is a conditional update on the status it leaves,
 * so two processes racing for an order cannot both move it; its event goes
 * out only once the transaction commits.
 */
import type { AfterCommit, Handle, TypedEvents } from "@bitcoim/accounts";
import { paymentOrders } from "@bitcoim/db";
import { and, eq, gt, type SQL } from "drizzle-orm";
import { normaliseCode } from "./code.js";
import { OrdersError } from "./errors.js";
import type { Order, OrdersEvents } from "./events.js";

export type Status = Order["status"];

/** The status changes an order can make; anything else is a bug, refused before it is written. */
export const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  // Paid at once when internal (pay_order), claimed for a send, or ended unpaid.
  pending: ["paid", "executing", "failed", "cancelled", "expired"],
  // A send: booked, handed back (nothing went out), failed, or refunded by reconciliation.
  executing: ["paid", "pending", "failed", "refunded"],
  // An on-chain payment whose coins another transaction spent.
  paid: ["refunded"],
  // A refunded send that went out after all.
  refunded: ["paid"],
  cancelled: [],
  expired: [],
  failed: [],
};

/**
 * The claim rule: an order executes only while pending and unexpired.
 * Migration 0008's `pay_order` writes it in SQL as `CLAIM_RULE_SQL`
 * (test/state.test.ts checks the installed function against it).
 */
export const CLAIM_FROM = "pending" satisfies Status;
export const CLAIM_RULE_SQL = `status = '${CLAIM_FROM}' AND expires_at > p_now`;

/** Unexpired at `now`: the claim rule's other half. */
const live = (now: Date) => gt(paymentOrders.expiresAt, now);

export const claimable = (id: number, now: Date): SQL =>
  and(eq(paymentOrders.id, id), eq(paymentOrders.status, CLAIM_FROM), live(now))!;

/** Pending and within its lifetime: the only orders that can be confirmed or cancelled. */
export const isLive = (order: Order | undefined, now: Date): order is Order =>
  order?.status === CLAIM_FROM && order.expiresAt > now;

export const notFound = (code: string) =>
  new OrdersError("ORDER_NOT_FOUND", `no pending order has the code ${normaliseCode(code)}`);

export const alreadyPaid = (order: Order) =>
  new OrdersError(
    "ALREADY_PAID",
    order.status === "executing"
      ? `order ${order.code} is being paid already`
      : `order ${order.code} is already paid`,
    { order },
  );

/**
 * Why a claim found nothing: another confirm won, or the order expired
 * meanwhile. Asked on the claiming transaction: a second connection per
 * loser would exhaust the pool under a crowd of confirms.
 */
export async function gone(tx: Handle, order: Order): Promise<OrdersError> {
  const [now] = await tx.select().from(paymentOrders).where(eq(paymentOrders.id, order.id));
  return now?.status === "paid" || now?.status === "executing"
    ? alreadyPaid(now)
    : notFound(order.code);
}

/** One event of this package, as `emit` takes it. */
export type Emission = {
  [K in keyof OrdersEvents]: readonly [K, OrdersEvents[K]];
}[keyof OrdersEvents];

/** Where a move is written: a transaction, what runs after it commits, and who hears of it. */
export interface Step {
  readonly tx: Handle;
  readonly afterCommit: AfterCommit;
  readonly events: TypedEvents<OrdersEvents>;
}

export interface Change {
  readonly from: Status;
  readonly to: Status;
  /** A claim: only while the order is unexpired at this time too (`claimable`). */
  readonly claimAt?: Date;
}

type Fields = Partial<Pick<Order, "txid" | "fee" | "executedAt">>;

/** Moves the orders that `where` selects and are in `change.from`; each one's event after commit. */
export async function moveAll(
  step: Step,
  where: SQL,
  change: Change,
  fields: Fields = {},
  event?: (moved: Order) => Emission,
): Promise<Order[]> {
  const { from, to, claimAt } = change;
  if (!TRANSITIONS[from].includes(to)) {
    throw new TypeError(`an order cannot go from ${from} to ${to}`);
  }
  const unexpired = claimAt === undefined ? undefined : live(claimAt);
  const moved = await step.tx
    .update(paymentOrders)
    .set({ ...fields, status: to })
    .where(and(where, eq(paymentOrders.status, from), unexpired))
    .returning();
  if (event) {
    step.afterCommit(() => {
      for (const order of moved) step.events.emit(...event(order));
    });
  }
  return moved;
}

/** Moves one order; undefined when it was not in `change.from` (another process moved it first). */
export async function move(
  step: Step,
  order: Pick<Order, "id">,
  change: Change,
  fields: Fields = {},
  event?: (moved: Order) => Emission,
): Promise<Order | undefined> {
  const [moved] = await moveAll(step, eq(paymentOrders.id, order.id), change, fields, event);
  return moved;
}

/** `move` where nothing else may have moved the order first: anything else is a bug, and rolls the step back. */
export async function mustMove(...args: Parameters<typeof move>): Promise<Order> {
  const moved = await move(...args);
  const [, order, change] = args;
  if (!moved) throw new Error(`order ${order.id} was not ${change.from}; not made ${change.to}`);
  return moved;
}
