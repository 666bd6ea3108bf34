/**
 * The exact network fee of an on-chain order, shown before `confirm`
 * (docs/behaviour.md §7): read from a funding of the payment that locks
 * nothing, kept with the order, and met by the send, which spends the same
 * coins when they are still there. A send never pays more than the fee its
 * payer was last shown.
 */
import { type Handle, inTransaction } from "@bitcoim/accounts";
import { feeQuotes, paymentOrders } from "@bitcoim/db";
import { BitcoinNodeError, type Outpoint } from "@bitcoim/wallet";
import { and, eq } from "drizzle-orm";
import { withFreshCode } from "./code.js";
import type { OrdersContext } from "./context.js";
import { withinDeadline } from "./deadline.js";
import { OrdersError } from "./errors.js";
import type { Order } from "./events.js";
import { coinsOf } from "./locks.js";
import { canonicalAddress } from "./rules.js";
import { gone } from "./state.js";

export interface ExactFee {
  fee: bigint;
  /** sat/vB. */
  rate: bigint;
  /** The funded, unsigned transaction the fee was read from. */
  draft: string;
}

/**
 * Funds the payment at `rate` without locking its coins: what it would
 * cost now. Undefined when the wallet cannot say (the node is down, or
 * cannot fund it yet): the summary then shows an estimate, and `confirm`
 * quotes the exact fee before anything is paid.
 */
export async function fundQuote(
  ctx: OrdersContext,
  payment: { address: string; amount: bigint },
  rate: bigint,
): Promise<ExactFee | undefined> {
  const address = canonicalAddress(payment.address, ctx.network);
  let funded: Awaited<ReturnType<OrdersContext["node"]["fundTransaction"]>>;
  try {
    const funding = ctx.node.fundTransaction({
      outputs: [{ address, amount: payment.amount }],
      feeRate: rate,
      lockUnspents: false,
    });
    funded = await withinDeadline(funding, ctx.buildTimeoutMs);
  } catch (error) {
    if (error instanceof BitcoinNodeError) return undefined;
    throw error;
  }
  if (funded.fee > ctx.fees.maxFee) throw feeTooHigh(ctx, rate, funded.fee);
  return { fee: funded.fee, rate, draft: funded.hex };
}

export const feeTooHigh = (ctx: OrdersContext, rate: bigint, fee: bigint) =>
  new OrdersError(
    "FEE_TOO_HIGH",
    `this payment would cost ${fee} sat in network fees at ${rate} sat/vB; the limit is ${ctx.fees.maxFee} sat — nothing was paid`,
    { rate, estimate: fee, limit: ctx.fees.maxFee },
  );

/** Keeps (or replaces) the order's quote. */
export async function saveQuote(
  ctx: OrdersContext,
  orderId: number,
  q: ExactFee,
  db: Handle = ctx.db,
): Promise<void> {
  const values = { fee: q.fee, rate: q.rate, draft: q.draft, quotedAt: ctx.now() };
  await db
    .insert(feeQuotes)
    .values({ orderId, ...values })
    .onConflictDoUpdate({ target: feeQuotes.orderId, set: values });
}

export async function quoteOf(
  ctx: OrdersContext,
  orderId: number,
): Promise<(ExactFee & { coins: Outpoint[] }) | undefined> {
  const [row] = await ctx.db.select().from(feeQuotes).where(eq(feeQuotes.orderId, orderId));
  return row && { fee: row.fee, rate: row.rate, draft: row.draft, coins: coinsOf(row.draft) };
}

/**
 * The send's funding did not come out at the quoted fee (the coins quoted
 * were spent meanwhile, or no exact fee was shown): the new fee becomes the
 * quote, under a new code, and the payer is asked again. Nothing was
 * reserved or sent. The new code is what proves the payer saw the new fee:
 * should this answer never reach them, the code they know confirms nothing.
 */
export async function requote(
  ctx: OrdersContext,
  order: Order,
  quoted: bigint | undefined,
  now: ExactFee,
): Promise<OrdersError> {
  const code = await withNewCode(ctx, order, now);
  const was = quoted === undefined ? "no exact fee was shown" : `${quoted} sat were quoted`;
  return new OrdersError(
    "FEE_CHANGED",
    `this payment's network fee is now ${now.fee} sat (${was}); nothing was paid — confirm it with its new code ${code}`,
    { fee: now.fee, rate: now.rate, ...(quoted === undefined ? {} : { quoted }), code },
  );
}

/** The order's new code and quote, together. */
function withNewCode(ctx: OrdersContext, order: Order, q: ExactFee): Promise<string> {
  return withFreshCode(async (code) => {
    const moved = await inTransaction(ctx.db, async (tx) => {
      const [row] = await tx
        .update(paymentOrders)
        .set({ code })
        .where(and(eq(paymentOrders.id, order.id), eq(paymentOrders.status, "pending")))
        .returning({ id: paymentOrders.id });
      if (row) await saveQuote(ctx, order.id, q, tx);
      return row !== undefined;
    });
    if (!moved) throw await gone(ctx.db, order);
    return code;
  });
}
