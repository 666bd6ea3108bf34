import type { Withdrawal } from "@bitcoim/accounts";
import { BitcoinNodeError } from "@bitcoim/wallet";
import type { OrdersContext } from "./context.js";

/**
 * The send under another txid, among the wallet's conflicts of its own: a
 * transaction not conflicted itself that pays the withdrawal's address its
 * exact amount (an operator's `bumpfee`, a malleated copy). Undefined when
 * none does. Only "no such transaction" means a conflict is none of ours:
 * any other failure is thrown, never read as "no replacement" — that would
 * refund a payment that went out.
 */
export async function replacementOf(
  ctx: OrdersContext,
  w: Withdrawal,
  conflicts: readonly string[],
): Promise<string | undefined> {
  for (const other of conflicts) {
    const tx = await ctx.node.getTransaction(other).catch((error: unknown) => {
      if (error instanceof BitcoinNodeError && error.code === "NODE_UNKNOWN_TRANSACTION") {
        return undefined;
      }
      throw error;
    });
    const pays = tx?.details.some(
      (d) => d.category === "send" && d.address === w.address && d.amount === -w.amount,
    );
    if (tx && pays && tx.confirmations >= 0) return other;
  }
  return undefined;
}
