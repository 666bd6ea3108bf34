import type { User } from "@bitcoim/accounts";
import { withFreshCode } from "./code.js";
import type { OrdersContext } from "./context.js";
import { OrdersError } from "./errors.js";
import type { Order } from "./events.js";
import { type FeeQuote, quoteAt, quoteFee } from "./fees.js";
import { type ExactFee, fundQuote, saveQuote } from "./quote.js";
import { canonicalAddress, nodeUnavailable, registered, stillRegistered } from "./rules.js";

/**
 * Whom an order pays: a user by id (never by username) or an address. A
 * caller that has just read the user passes it as `user`: `queue` then does
 * not read it again.
 */
export type Recipient = { userId: number; user?: User } | { address: string };

export interface Queued {
  order: Order;
  /** True when the recipient address belongs to one of our users: paid internally. */
  internal: boolean;
  /**
   * On-chain payments: the fee, shown before `confirm` — exact (`exact`)
   * when the wallet could fund the payment now, else an estimate.
   */
  fee?: FeeQuote;
  /** The confirmed balance after this payment (and its estimated fee). */
  balanceAfter: bigint;
  /** The balance after it would fall below the configured warning threshold. */
  lowBalance: boolean;
  /** The balance does not cover it now: `confirm` will refuse unless money arrives. */
  insufficient: boolean;
}

/**
 * Queues a payment order with a fresh confirmation code (docs/behaviour.md
 * §7, `pay`). `sender` is the sender's id, or the user as the caller has
 * just read them (then not read again).
 */
export async function queue(
  ctx: OrdersContext,
  sender: number | User,
  to: Recipient,
  amount: bigint,
  comment: string | null,
): Promise<Queued> {
  // What needs no round trip first; then the reads, which do not depend on
  // each other, go out together: a user waits for every round trip.
  const senderId = typeof sender === "number" ? sender : sender.id;
  if (amount <= 0n) throw new OrdersError("AMOUNT_NOT_POSITIVE", "the amount must be positive");
  if ("userId" in to && to.userId === senderId) {
    throw new OrdersError("PAY_YOURSELF", "you cannot pay yourself");
  }
  // An address in its one canonical spelling (bech32 in lower case): what the
  // wallet writes back, and what the owner look-up compares.
  const recipient: Recipient =
    "address" in to ? { address: canonicalAddress(to.address, ctx.network) } : to;
  const senderRead =
    typeof sender === "number"
      ? registered(ctx.accounts, sender, "SENDER_NOT_FOUND")
      : Promise.resolve(sender).then((user) => stillRegistered(user, "SENDER_NOT_FOUND"));
  const newOrder = {
    senderId,
    recipientUserId: "userId" in recipient ? recipient.userId : null,
    recipientAddress: "address" in recipient ? recipient.address : null,
    amount,
    comment: comment?.trim() || null,
    expiresAt: new Date(ctx.now().getTime() + ctx.lifetimeMs),
  };
  if ("userId" in recipient) {
    const { user } = recipient;
    // A user the caller holds for another id would pass the wrong check: read it then.
    const payeeRead =
      user && user.id === recipient.userId
        ? Promise.resolve(user).then((u) => stillRegistered(u, "RECIPIENT_NOT_FOUND"))
        : registered(ctx.accounts, recipient.userId, "RECIPIENT_NOT_FOUND");
    // With both users known this takes no round trip, and the insert (which
    // reads the balance itself) is the only one.
    await settledInOrder(senderRead, payeeRead);
    const { order, confirmed } = await insertWithFreshCode(ctx, newOrder);
    return summary(order, true, undefined, confirmed - amount, ctx.lowBalanceWarning);
  }
  const [user, owner] = await settledInOrder(
    senderRead,
    ctx.accounts.ownerOfAddress(recipient.address),
  );
  let fee: FeeQuote | undefined;
  let exact: ExactFee | undefined;
  if (owner?.userId === user.id) {
    throw new OrdersError("PAY_OWN_ADDRESS", "that is one of your own deposit addresses");
  }
  const internal = owner !== undefined;
  if (!internal) {
    if (amount < ctx.dustMinimum) {
      throw new OrdersError(
        "AMOUNT_BELOW_DUST",
        `an on-chain payment must be at least ${ctx.dustMinimum} sat (the dust limit)`,
      );
    }
    // Without the node, the order is still queued (the summary shows the
    // fallback rate); `confirm` then waits for the node, and says so.
    let reached = true;
    fee = await quoteFee(ctx.node, ctx.fees).catch((error: unknown) => {
      if (!nodeUnavailable(error)) throw error;
      reached = false;
      return quoteAt(ctx.fees.fallbackFeeRate, "fallback", ctx.fees);
    });
    if (reached) exact = await fundQuote(ctx, { address: recipient.address, amount }, fee.rate);
  }
  const { order, confirmed } = await insertWithFreshCode(ctx, newOrder);
  if (fee && exact) {
    // Kept after the order, which it needs: without it `confirm` quotes again.
    const kept = await saveQuote(ctx, order.id, exact).then(
      () => true,
      () => false,
    );
    if (kept) fee = { ...fee, estimate: exact.fee, exact: true };
  }
  const after = confirmed - amount - (fee?.estimate ?? 0n);
  return summary(order, internal, fee, after, ctx.lowBalanceWarning);
}

function summary(
  order: Order,
  internal: boolean,
  fee: FeeQuote | undefined,
  balanceAfter: bigint,
  lowBalanceWarning: bigint,
): Queued {
  return {
    order,
    internal,
    ...(fee ? { fee } : {}),
    balanceAfter,
    lowBalance: balanceAfter < lowBalanceWarning,
    insufficient: balanceAfter < 0n,
  };
}

/**
 * Awaits every promise, then throws the first failure in argument order, so
 * that which refusal a user hears does not depend on which reply came first.
 */
async function settledInOrder<T extends readonly unknown[]>(
  ...promises: { [K in keyof T]: Promise<T[K]> }
): Promise<T> {
  const results = await Promise.allSettled(promises);
  for (const r of results) if (r.status === "rejected") throw r.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

type NewOrder = {
  senderId: number;
  recipientUserId: number | null;
  recipientAddress: string | null;
  amount: bigint;
  comment: string | null;
  expiresAt: Date;
};

/**
 * Returns the order and the sender's confirmed balance, read by the same
 * statement: a summary never fails after its order was queued.
 */
function insertWithFreshCode(
  ctx: OrdersContext,
  values: NewOrder,
): Promise<{ order: Order; confirmed: bigint }> {
  return withFreshCode(async (code) => {
    // One statement, its own transaction: the event follows its commit.
    const [row] = await ctx.lookups.insertOrder.execute({ ...values, code });
    const { senderConfirmed, ...order } = row!;
    ctx.events.emit("orderQueued", { order });
    return { order, confirmed: BigInt(senderConfirmed) };
  });
}
