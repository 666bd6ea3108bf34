import type { TransferOutcome } from "@bitcoim/accounts";
import { fundsRefusal, transferRefusal } from "@bitcoim/accounts/ledger";
import { normaliseCode } from "./code.js";
import type { OrdersContext } from "./context.js";
import { OrdersError } from "./errors.js";
import type { Order, Paid } from "./events.js";
import { findByCode, isFor } from "./pending.js";
import type { Recipient } from "./queue.js";
import { fromLedger } from "./rules.js";
import { payOnChain } from "./send.js";
import { alreadyPaid, gone, isLive, notFound } from "./state.js";

/**
 * Executes a pending order once, whatever the concurrency
 * (docs/architecture.md §5.4): the order row moves out of `pending` in a
 * conditional update that commits with the money movement, so a racing
 * `confirm` finds it gone.
 */
export async function confirm(
  ctx: OrdersContext,
  senderId: number,
  code: string,
  writtenTo?: Recipient,
  /** `confirmAs` tried the common case already, and found no such order. */
  { byCodeTried = false }: { byCodeTried?: boolean } = {},
): Promise<Paid> {
  // The common case first: a payment to a user, in one round trip. An
  // order to an address (or none) takes the look-up below.
  if (!byCodeTried && (!writtenTo || "userId" in writtenTo)) {
    const paid = await payUserByCode(ctx, senderId, code, writtenTo?.userId ?? null);
    if (paid) return paid;
  }
  const order = await findByCode(ctx, senderId, code);
  if (order?.status === "paid" || order?.status === "executing") throw alreadyPaid(order);
  if (!isLive(order, ctx.now())) throw notFound(code);
  if (writtenTo && !isFor(order, writtenTo)) {
    throw new OrdersError(
      "WRONG_RECIPIENT",
      "this code belongs to an order for someone else; confirm it there",
      { recipientUserId: order.recipientUserId, recipientAddress: order.recipientAddress },
    );
  }
  const internalTo =
    order.recipientUserId ??
    (await ctx.accounts.ownerOfAddress(order.recipientAddress!))?.userId ??
    null;
  if (internalTo === null) return payOnChain(ctx, order);
  return payInternally(ctx, order, internalTo);
}

export type PayOrderResult = {
  outcome: TransferOutcome | "gone" | "no_outcome";
  reason: string | null;
  senderBalance: string | null;
};

/**
 * One call to `bitcoim.pay_order_by_code`: the sender's pending order with
 * `code`, if it pays a user (`to`, when given), is claimed and paid by
 * `pay_order`; undefined when there is no such order, and nothing changed.
 */
async function payUserByCode(
  ctx: OrdersContext,
  senderId: number,
  code: string,
  to: number | null,
): Promise<Paid | undefined> {
  const now = ctx.now();
  let rows: Awaited<ReturnType<typeof ctx.lookups.payByCode.execute>>;
  try {
    rows = await ctx.lookups.payByCode.execute({
      sender: senderId,
      code: normaliseCode(code),
      to,
      now: now.toISOString(),
    });
  } catch (error) {
    throw fromLedger(fundsRefusal(error) ?? error);
  }
  const [row] = rows;
  if (!row) return undefined;
  const { outcome, reason, senderBalance, ...order } = row;
  // pay_order_by_code answers only for orders paying a user.
  return settle(ctx, order, order.recipientUserId, now, {
    outcome,
    reason,
    senderBalance,
  });
}

/**
 * One call to `bitcoim.pay_order`: the claim (`CLAIM_RULE_SQL`, state.ts)
 * and the transfer, keyed `order:<id>`, commit together or not at all.
 */
async function payInternally(ctx: OrdersContext, order: Order, toUserId: number): Promise<Paid> {
  const now = ctx.now();
  let result: PayOrderResult | undefined;
  try {
    [result] = await ctx.lookups.payOrder.execute({
      order: order.id,
      to: toUserId,
      now: now.toISOString(),
    });
  } catch (error) {
    throw fromLedger(fundsRefusal(error) ?? error);
  }
  return settle(ctx, order, toUserId, now, result);
}

/** What `pay_order` answered, as the payment made or the refusal to tell. */
export async function settle(
  ctx: OrdersContext,
  order: Order,
  toUserId: number,
  now: Date,
  result: PayOrderResult | undefined,
): Promise<Paid> {
  if (!result || result.outcome === "gone") throw await gone(ctx.db, order);
  const { outcome } = result;
  if (outcome !== "posted" && outcome !== "duplicate") {
    // Refused, so the claim was undone: the order is still pending.
    const refused =
      outcome === "no_outcome"
        ? undefined
        : transferRefusal(outcome, result.reason, { fromUserId: order.senderId, toUserId });
    throw fromLedger(refused ?? new Error(`pay_order answered ${outcome} for order ${order.id}`));
  }
  // What the claim wrote; the rest of the row is as it was read.
  const paid: Order = { ...order, status: "paid", executedAt: now, fee: 0n };
  ctx.events.emit("paymentCompleted", { order: paid, recipientUserId: toUserId });
  return {
    order: paid,
    ...(result.senderBalance !== null ? { senderBalance: BigInt(result.senderBalance) } : {}),
  };
}
