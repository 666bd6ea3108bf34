import type { Accounts } from "@bitcoim/accounts";
import { isUniqueViolation, paymentOrders } from "@bitcoim/db";
import { AddressError, validateAddress } from "@bitcoim/wallet";
import { newCode } from "./code.js";
import type { OrdersContext } from "./context.js";
import { OrdersError } from "./errors.js";
import type { Order } from "./events.js";
import { type FeeQuote, quoteAt, quoteFee } from "./fees.js";
import { nodeUnavailable, registered } from "./rules.js";

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

/** Queues a payment order with a fresh confirmation code (BEHAVIOUR.md §7, `pay`). */
export async function queue(
  ctx: OrdersContext,
  senderId: number,
  recipient: Recipient,
  amount: bigint,
  comment: string | null,
): Promise<Queued> {
  const sender = await registered(ctx.accounts, senderId, "SENDER_NOT_FOUND");
  if (amount <= 0n) throw new OrdersError("AMOUNT_NOT_POSITIVE", "the amount must be positive");
  let internal = true;
  let fee: FeeQuote | undefined;
  if ("userId" in recipient) {
    if (recipient.userId === sender.id)
      throw new OrdersError("PAY_YOURSELF", "you cannot pay yourself");
    await registered(ctx.accounts, recipient.userId, "RECIPIENT_NOT_FOUND");
  } else {
    await checkAddress(ctx.accounts, recipient.address, sender.id, ctx.network);
    internal = (await ctx.accounts.ownerOfAddress(recipient.address)) !== undefined;
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
  const { confirmed } = await ctx.accounts.balance(sender.id);
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

async function checkAddress(
  accounts: Pick<Accounts, "ownerOfAddress">,
  address: string,
  senderId: number,
  network: OrdersContext["network"],
) {
  try {
    validateAddress(address, network);
  } catch (error) {
    if (error instanceof AddressError) {
      throw new OrdersError("INVALID_ADDRESS", error.message, {}, { cause: error });
    }
    throw error;
  }
  const owner = await accounts.ownerOfAddress(address);
  if (owner?.userId === senderId) {
    throw new OrdersError("PAY_OWN_ADDRESS", "that is one of your own deposit addresses");
  }
}

type NewOrder = Omit<typeof paymentOrders.$inferInsert, "code">;

/** Codes are unique among the sender's pending orders; the database decides races. */
async function insertWithFreshCode(ctx: OrdersContext, values: NewOrder): Promise<Order> {
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    try {
      // One statement, its own transaction: the event follows its commit.
      const [order] = await ctx.db
        .insert(paymentOrders)
        .values({ ...values, code: newCode() })
        .returning();
      ctx.events.emit("orderQueued", { order: order! });
      return order!;
    } catch (error) {
      if (!isUniqueViolation(error, "payment_orders_pending_code_idx")) throw error;
    }
  }
  throw new Error(`no free confirmation code after ${CODE_ATTEMPTS} attempts`);
}
