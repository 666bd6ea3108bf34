import { isUniqueViolation } from "@bitcoim/db";
import { newCode } from "./code.js";
import type { OrdersContext } from "./context.js";
import { OrdersError } from "./errors.js";
import type { Order } from "./events.js";
import { type FeeQuote, quoteAt, quoteFee } from "./fees.js";
import { canonicalAddress, nodeUnavailable, registered } from "./rules.js";

/** Whom an order pays: a user by id (never by username) or an address. */
export type Recipient = { userId: number } | { address: string };

export interface Queued {
  order: Order;
  /** True when the recipient address belongs to one of our users: paid internally. */
  internal: boolean;
  /** On-chain payments: the fee we expect, shown before `confirm`. */
  fee?: FeeQuote;
  /** The confirmed balance after this payment (and its estimated fee). */
  balanceAfter: bigint;
  /** The balance after it would fall below the configured warning threshold. */
  lowBalance: boolean;
  /** The balance does not cover it now: `confirm` will refuse unless money arrives. */
  insufficient: boolean;
}

const CODE_ATTEMPTS = 20;

/** Queues a payment order with a fresh confirmation code (docs/behaviour.md §7, `pay`). */
export async function queue(
  ctx: OrdersContext,
  senderId: number,
  to: Recipient,
  amount: bigint,
  comment: string | null,
): Promise<Queued> {
  // What needs no round trip first; then the reads, which do not depend on
  // each other, go out together: a user waits for every round trip.
  if (amount <= 0n) throw new OrdersError("AMOUNT_NOT_POSITIVE", "the amount must be positive");
  if ("userId" in to && to.userId === senderId) {
    throw new OrdersError("PAY_YOURSELF", "you cannot pay yourself");
  }
  // An address in its one canonical spelling (bech32 in lower case): what the
  // wallet writes back, and what the owner look-up compares.
  const recipient: Recipient =
    "address" in to ? { address: canonicalAddress(to.address, ctx.network) } : to;
  const payee: Promise<{ userId: number } | undefined> =
    "userId" in recipient
      ? registered(ctx.accounts, recipient.userId, "RECIPIENT_NOT_FOUND").then(() => undefined)
      : ctx.accounts.ownerOfAddress(recipient.address);
  const [sender, { confirmed }, owner] = await settledInOrder(
    registered(ctx.accounts, senderId, "SENDER_NOT_FOUND"),
    ctx.accounts.balance(senderId),
    payee,
  );
  let internal = true;
  let fee: FeeQuote | undefined;
  if ("address" in recipient) {
    if (owner?.userId === sender.id) {
      throw new OrdersError("PAY_OWN_ADDRESS", "that is one of your own deposit addresses");
    }
    internal = owner !== undefined;
    if (!internal) {
      if (amount < ctx.dustMinimum) {
        throw new OrdersError(
          "AMOUNT_BELOW_DUST",
          `an on-chain payment must be at least ${ctx.dustMinimum} sat (the dust limit)`,
        );
      }
      // Without the node, the order is still queued (the summary shows the
      // fallback rate); `confirm` then waits for the node, and says so.
      fee = await quoteFee(ctx.node, ctx.fees).catch((error: unknown) => {
        if (nodeUnavailable(error)) return quoteAt(ctx.fees.fallbackFeeRate, "fallback", ctx.fees);
        throw error;
      });
    }
  }
  const balanceAfter = confirmed - amount - (fee?.estimate ?? 0n);
  const order = await insertWithFreshCode(ctx, {
    senderId: sender.id,
    recipientUserId: "userId" in recipient ? recipient.userId : null,
    recipientAddress: "address" in recipient ? recipient.address : null,
    amount,
    comment: comment?.trim() || null,
    expiresAt: new Date(ctx.now().getTime() + ctx.lifetimeMs),
  });
  return {
    order,
    internal,
    ...(fee ? { fee } : {}),
    balanceAfter,
    lowBalance: balanceAfter < ctx.lowBalanceWarning,
    insufficient: balanceAfter < 0n,
  };
}

/**
 * Awaits every promise, then throws the first failure in argument order, so
 * that which refusal a user hears does not depend on which reply came first.
 */
async function settledInOrder<A, B, C>(a: Promise<A>, b: Promise<B>, c: Promise<C>) {
  const results = await Promise.allSettled([a, b, c]);
  for (const r of results) if (r.status === "rejected") throw r.reason;
  const [ra, rb, rc] = results as [
    PromiseFulfilledResult<A>,
    PromiseFulfilledResult<B>,
    PromiseFulfilledResult<C>,
  ];
  return [ra.value, rb.value, rc.value] as const;
}

type NewOrder = {
  senderId: number;
  recipientUserId: number | null;
  recipientAddress: string | null;
  amount: bigint;
  comment: string | null;
  expiresAt: Date;
};

/** Codes are unique among the sender's pending orders; the database decides races. */
async function insertWithFreshCode(ctx: OrdersContext, values: NewOrder): Promise<Order> {
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    try {
      // One statement, its own transaction: the event follows its commit.
      const [order] = await ctx.lookups.insertOrder.execute({ ...values, code: newCode() });
      ctx.events.emit("orderQueued", { order: order! });
      return order!;
    } catch (error) {
      if (!isUniqueViolation(error, "payment_orders_pending_code_idx")) throw error;
    }
  }
  throw new Error(`no free confirmation code after ${CODE_ATTEMPTS} attempts`);
}
