import { inTransaction, type Withdrawal } from "@bitcoim/accounts";
import { reinstate, release } from "@bitcoim/accounts/ledger";
import { withdrawals } from "@bitcoim/db";
import { BitcoinNodeError, type Outpoint } from "@bitcoim/wallet";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import { paidFee, record, sendComment } from "./book.js";
import type { OrdersContext } from "./context.js";
import { coinsOf, sweepLocks, unlockCoins, withSendsLock } from "./locks.js";
import { replacementOf } from "./replacement.js";
import { nodeUnavailable } from "./rules.js";
import { mustMove } from "./state.js";

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
 * (docs/architecture.md §5.5): a send the wallet has (found by the txid
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
  const seen = await walletSends(ctx, [...open, ...refunded]);
  /** Runs `work`, which names the list the send goes to (if any); a failure is kept for next time. */
  const attempt = async (w: Withdrawal, work: () => Promise<number[] | undefined>) => {
    try {
      (await work())?.push(w.id);
    } catch (error) {
      // A node that cannot be reached fails them all: one outage, said once by the caller.
      if (nodeUnavailable(error)) throw error;
      result.failed.push({
        id: w.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };
  for (const w of open) {
    await attempt(w, async () => {
      const found = await seen(w);
      if (found && found.confirmations >= 0) {
        await record(ctx, w.id, found.txid);
        return result.booked;
      }
      // Conflicted (negative confirmations): it went out under another txid
      // if a replacement pays the same — booked under it at the fee the
      // payer agreed to; otherwise it did not go out.
      const replacement = found && (await replacementOf(ctx, w, found.walletConflicts));
      if (found && replacement) {
        await record(ctx, w.id, replacement, found.txid);
        return result.booked;
      }
      if (found) {
        await refund(ctx, w, "conflicted");
        return result.refunded;
      }
      // Not in the wallet — yet: a sender still within its turn (frozen, say,
      // past any grace period) may still broadcast it. The refund takes the
      // turn the broadcast runs under, and looks once more inside it.
      return withSendsLock(ctx, async () => {
        const late = await seen(w);
        if (late && late.confirmations >= 0) {
          await record(ctx, w.id, late.txid);
          return result.booked;
        }
        await refund(ctx, w, late ? "conflicted" : "unsent");
        return result.refunded;
      });
    });
  }
  for (const w of refunded) {
    await attempt(w, async () => {
      const found = await seen(w);
      // Booked again only once mined: a transaction back at 0 confirmations
      // may be out of the mempool, its conflict there instead.
      if (!found || found.confirmations < 1) return undefined;
      await bookLate(ctx, w, found.txid);
      return result.reinstated;
    });
  }
}

interface Seen {
  txid: string;
  confirmations: number;
  walletConflicts: string[];
}

/**
 * How to find each send in the wallet: by its txid, one `gettransaction`
 * each; a send made in one call by an older version, by its comment, in one
 * look at the whole wallet taken only when such a send is still open.
 */
async function walletSends(
  ctx: OrdersContext,
  sends: readonly Withdrawal[],
): Promise<(w: Withdrawal) => Promise<Seen | undefined>> {
  const byComment = new Map<string, Seen>();
  if (sends.some((w) => !w.txid)) {
    const { transactions } = await ctx.node.listSinceBlock({
      blockHash: null,
      includeRemoved: false,
    });
    for (const e of transactions) {
      if (e.category === "send" && e.comment)
        byComment.set(e.comment, { ...e, walletConflicts: [] });
    }
  }
  return async (w) => {
    if (!w.txid) return byComment.get(sendComment(w));
    try {
      const tx = await ctx.node.getTransaction(w.txid);
      return { txid: w.txid, confirmations: tx.confirmations, walletConflicts: tx.walletConflicts };
    } catch (error) {
      if (error instanceof BitcoinNodeError && error.code === "NODE_UNKNOWN_TRANSACTION") {
        return undefined;
      }
      throw error;
    }
  };
}

async function refund(
  ctx: OrdersContext,
  w: Withdrawal,
  cause: "unsent" | "conflicted",
): Promise<void> {
  await inTransaction(ctx.db, async (tx, afterCommit) => {
    await release(tx, w.id);
    if (!w.orderId) return;
    const reason =
      cause === "conflicted"
        ? `another transaction spending the same coins was confirmed instead of ${w.txid}; the amount is back in your balance`
        : "the Bitcoin node has no record of this payment, so it was not sent; the amount is back in your balance";
    const txid = cause === "conflicted" && w.txid ? { txid: w.txid } : {};
    await mustMove(
      { tx, afterCommit, events: ctx.events },
      { id: w.orderId },
      { from: "executing", to: "refunded" },
      {},
      (order) => ["paymentRefunded", { order, cause, ...txid, reason }],
    );
  });
  await unlockCoins(ctx, coinsOf(w.rawTx));
}

async function bookLate(ctx: OrdersContext, w: Withdrawal, txid: string): Promise<void> {
  const fee = await paidFee(ctx, w, txid);
  await inTransaction(ctx.db, async (tx, afterCommit) => {
    await reinstate(tx, w.id, txid, fee);
    if (!w.orderId) return;
    await mustMove(
      { tx, afterCommit, events: ctx.events },
      { id: w.orderId },
      { from: "refunded", to: "paid" },
      { txid, fee, executedAt: ctx.now() },
      (order) => ["paymentCompleted", { order, recipientUserId: null, txid, fee, late: true }],
    );
  });
}
