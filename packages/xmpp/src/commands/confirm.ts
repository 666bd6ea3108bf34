/**
 * `confirm [<code>]` (docs/behaviour.md §7): executes the sender's pending
 * order with that code — refused, naming the recipient, when written to
 * another contact than the order's — or lists the pending ones. The orders
 * service makes a second or concurrent confirm pay once.
 */

import type { Paid } from "@bitcoim/orders";
import { formatBtc } from "../i18n/language.js";
import { withTxLink } from "../services.js";
import { type Command, type CommandContext, type CommandReply, recipientOf } from "./context.js";
import { recipientName } from "./names.js";
import { listPending } from "./pending.js";

export const confirm: Command = async (ctx) => {
  const { deps, user, target, args, byCodeTried } = ctx;
  const code = args[0];
  if (code === undefined) return { text: await listPending(ctx) };
  const options = byCodeTried ? { byCodeTried } : undefined;
  return paidReply(ctx, await deps.orders.confirm(user.id, code, recipientOf(target), options));
};

/** What a payment made says: the txid on-chain, the new balance otherwise. */
export async function paidReply(
  { deps, user, target, t }: Pick<CommandContext, "deps" | "user" | "target" | "t">,
  { order, txid, fee, senderBalance }: Paid,
): Promise<CommandReply> {
  const amount = formatBtc(t, order.amount);
  if (txid !== undefined) {
    const address = order.recipientAddress ?? "?";
    const feeText = fee !== undefined ? { fee: formatBtc(t, fee) } : {};
    return {
      text: withTxLink(t.paidOnChain({ amount, address, txid, ...feeText }), txid, deps.txLink),
    };
  }
  // A user, or an address of one of our users: a ledger transfer, final now.
  const recipient =
    target.kind === "user" && target.user.id === order.recipientUserId
      ? target.user.username
      : await recipientName(deps, {
          userId: order.recipientUserId,
          address: order.recipientAddress,
        });
  const balance = senderBalance ?? (await deps.accounts.balance(user.id)).confirmed;
  return { text: t.paidInternal({ amount, recipient, balance: formatBtc(t, balance) }) };
}
