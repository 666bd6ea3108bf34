import { inTransaction, reinstate, release, type Withdrawal } from "@bitcoim/accounts";
import { paymentOrders, withdrawals } from "@bitcoim/db";
import type { Outpoint } from "@bitcoim/wallet";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import { paidFee, record, sendComment } from "./book.js";
import { coinsOf, sweepLocks, unlockCoins } from "./build.js";
import type { OrdersContext } from "./context.js";

export interface Reconciled {
  /** Unfinished sends found in the wallet and booked. */
  booked: number[];
  /** Unfinished sends the wallet does not have: refunded, and the payer told. */
  refunded: number[];
  /** Refunded sends that went out after all (the node finished late): booked and charged again. */
  reinstated: number[];
  /** Sends that could not be settled this time (the node failed, or a transaction did not match). */
  failed: { id: number; error: string }[];
  /** Wallet coins locked by no unfinished send (a lost funding reply, a crash), given back. */
  unlocked: Outpoint[];
}

/** How long a refunded send is still looked for in the wallet. */
const LATE_SEND_WINDOW = sql`interval '7 days'`;

/**
 * Settles on-chain sends left unfinished by a crash or a lost reply
 * (ARCHITECTURE.md, invariant 5): a send the wallet has (found by the txid
 * recorded before its broadcast, or — for a send made in one call — by its
 * comment, and checked to pay the right address its amount) is booked; one
 * it does not have is refunded, and its coins unlocked. Nothing is ever
 * resent. Sends younger than `reconcileAfterMs` are left alone — their node
 * call may still be running; the age is the database's, so that no
 * process's clock can shorten it. Should a refunded send turn up in the
 * wallet later after all, it is booked and charged again, and the payer told.
 */
export async function reconcile(ctx: OrdersContext): Promise<Reconciled> {
  const grace = sql`now() - make_interval(secs => ${ctx.reconcileAfterMs / 1000})`;
  const open = await ctx.db
    .select()
    .from(withdrawals)
    .where(and(eq(withdrawals.state, "intent"), lt(withdrawals.createdAt, grace)));
  const refunded = await ctx.db
    .select()
    .from(withdrawals)
    .where(
      and(
        eq(withdrawals.state, "refunded"),
        gt(withdrawals.updatedAt, sql`now() - ${LATE_SEND_WINDOW}`),
      ),
    );
  const result: Reconciled = { booked: [], refunded: [], reinstated: [], failed: [], unlocked: [] };
  if (open.length > 0 || refunded.length > 0) await settleAll(ctx, open, refunded, result);
  // Best effort, and after the refunds above, which give their own coins back.
  result.unlocked = await sweepLocks(ctx).catch(() => []);
  return result;
}

async function settleAll(
  ctx: OrdersContext,
  open: Withdrawal[],
  refunded: Withdrawal[],
  result: Reconciled,
): Promise<void> {
  // One look at the whole wallet, not one per send.
  const { transactions } = await ctx.node.listSinceBlock({
    blockHash: null,
    includeRemoved: false,
  });
  const sent = new Set<string>();
  const byComment = new Map<string, string>();
  for (const entry of transactions) {
    // A conflicted send (negative confirmations) did not go out: not found.
    if (entry.category !== "send" || entry.confirmations < 0) continue;
    sent.add(entry.txid);
    if (entry.comment) byComment.set(entry.comment, entry.txid);
  }
  /** The wallet's transaction for `w`, or undefined when it has none. */
  const found = (w: Withdrawal) =>
    w.txid ? (sent.has(w.txid) ? w.txid : undefined) : byComment.get(sendComment(w));
  const attempt = async (w: Withdrawal, work: () => Promise<unknown>, into: number[]) => {
    try {
      await work();
      into.push(w.id);
    } catch (error) {
      result.failed.push({
        id: w.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };
  for (const w of open) {
    const txid = found(w);
    await attempt(
      w,
      () => (txid ? record(ctx, w.id, txid) : refund(ctx, w)),
      txid ? result.booked : result.refunded,
    );
  }
  for (const w of refunded) {
    const txid = found(w);
    if (txid) await attempt(w, () => bookLate(ctx, w, txid), result.reinstated);
  }
}

async function refund(ctx: OrdersContext, w: Withdrawal): Promise<void> {
  await inTransaction(ctx.db, async (tx, afterCommit) => {
    await release(tx, w.id);
    const [order] = w.orderId
      ? await tx
          .update(paymentOrders)
          .set({ status: "refunded" })
          .where(eq(paymentOrders.id, w.orderId))
          .returning()
      : [];
    if (order) {
      afterCommit(() =>
        ctx.events.emit("paymentRefunded", {
          order,
          cause: "unsent",
          reason:
            "the Bitcoin node has no record of this payment, so it was not sent; the amount is back in your balance",
        }),
      );
    }
  });
  await unlockCoins(ctx, coinsOf(w.rawTx));
}

async function bookLate(ctx: OrdersContext, w: Withdrawal, txid: string): Promise<void> {
  const fee = await paidFee(ctx, w, txid);
  await inTransaction(ctx.db, async (tx, afterCommit) => {
    await reinstate(tx, w.id, txid, fee);
    const [order] = w.orderId
      ? await tx
          .update(paymentOrders)
          .set({ status: "paid", txid, fee, executedAt: ctx.now() })
          .where(eq(paymentOrders.id, w.orderId))
          .returning()
      : [];
    if (order) {
      afterCommit(() =>
        ctx.events.emit("paymentCompleted", {
          order,
          recipientUserId: null,
          txid,
          fee,
          late: true,
        }),
      );
    }
  });
}
