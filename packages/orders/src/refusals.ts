import { AccountsError, inTransaction, type Withdrawal } from "@bitcoim/accounts";
import { release } from "@bitcoim/accounts/ledger";
import { BitcoinNodeError } from "@bitcoim/wallet";
import type { BuiltSend } from "./build.js";
import type { OrdersContext } from "./context.js";
import { OrdersError } from "./errors.js";
import type { Order } from "./events.js";
import { unlockCoins } from "./locks.js";
import { fromLedger, nodeUnavailable } from "./rules.js";
import { move, mustMove } from "./state.js";

/** Refusals that trying again cannot change: the order fails, and the payer is told why. */
const FINAL: ReadonlySet<string> = new Set([
  "NODE_TRANSACTION_FAILED",
  "NODE_INVALID_ADDRESS",
  "NODE_INVALID_AMOUNT",
  "SEND_FAILED",
]);

/**
 * Why the payment could not be built or reserved — nothing was reserved or
 * sent, and the order is pending again. A wallet that cannot fund it now
 * (its coins held by other sends, or short) leaves it pending; only a
 * refusal that will not change fails it.
 */
export async function refused(ctx: OrdersContext, order: Order, error: unknown): Promise<unknown> {
  if (error instanceof AccountsError) return fromLedger(error);
  const unavailable = nodeUnavailable(error);
  if (unavailable) return unavailable;
  if (error instanceof BitcoinNodeError && error.code === "NODE_INSUFFICIENT_FUNDS") {
    return new OrdersError(
      "WALLET_CANNOT_FUND",
      "the gateway's wallet cannot fund this payment right now; nothing was paid and your payment stays pending — try again in a moment",
      {},
      { cause: error },
    );
  }
  const code = (error as { code?: unknown }).code;
  if (!(typeof code === "string" && FINAL.has(code))) return error;
  const reason = wordsOf(error);
  const failed = await inTransaction(ctx.db, (tx, afterCommit) =>
    move(
      { tx, afterCommit, events: ctx.events },
      order,
      { from: "pending", to: "failed", claimAt: ctx.now() },
      {},
      (order) => ["paymentFailed", { order, reason }],
    ),
  );
  return new OrdersError(
    "SEND_FAILED",
    `the payment could not be sent: ${reason}`,
    { order: failed ?? order, reason },
    { cause: error },
  );
}

export const outcomeUnknown = (cause: unknown) =>
  new OrdersError(
    "SEND_OUTCOME_UNKNOWN",
    "the Bitcoin node did not answer in time; the payment may or may not have gone out — you will be told which, nothing is sent twice",
    {},
    { cause },
  );

/**
 * A broadcast the node refused — its mempool's policy (a chain of unconfirmed
 * payments too long, a full mempool, a fee under its minimum), coins spent
 * meanwhile, Core's own fee cap: nothing went out, and a new build, later,
 * may pass. The order stays pending, and the payer hears Core's reason.
 */
export function refusedBroadcast(error: unknown): OrdersError | undefined {
  if (!(error instanceof BitcoinNodeError && error.code === "NODE_TRANSACTION_REJECTED")) {
    return undefined;
  }
  const reason = wordsOf(error);
  return new OrdersError(
    "SEND_REJECTED",
    `the Bitcoin network refused this payment for now (${reason}); nothing was paid and your payment stays pending — try again later, or cancel it`,
    { reason },
    { cause: error },
  );
}

/**
 * The node refused the broadcast, or could not be reached (so it never
 * heard us): give the reserve and the coins back. Only a refusal no new
 * build can change fails the order. An unknown outcome is left for
 * reconciliation.
 */
export async function undoSend(
  ctx: OrdersContext,
  withdrawal: Withdrawal,
  order: Order,
  built: BuiltSend,
  error: unknown,
) {
  if (error instanceof BitcoinNodeError && error.code === "NODE_SEND_OUTCOME_UNKNOWN") {
    return outcomeUnknown(error);
  }
  const again = nodeUnavailable(error) ?? refusedBroadcast(error);
  const reason = wordsOf(error);
  const failed = await inTransaction(ctx.db, async (tx, afterCommit) => {
    await release(tx, withdrawal.id);
    return mustMove(
      { tx, afterCommit, events: ctx.events },
      order,
      { from: "executing", to: again ? "pending" : "failed" },
      {},
      again ? undefined : (order) => ["paymentFailed", { order, reason }],
    );
  });
  await unlockCoins(ctx, built.inputs);
  return (
    again ??
    new OrdersError(
      "SEND_FAILED",
      `the payment could not be sent: ${reason}`,
      { order: failed, reason },
      { cause: error },
    )
  );
}

/** What the node said, for the payer: Core's own words; the method and the RPC code stay in the cause. */
function wordsOf(error: unknown): string {
  if (error instanceof BitcoinNodeError && error.rpcMessage) return error.rpcMessage;
  return error instanceof Error ? error.message : String(error);
}
