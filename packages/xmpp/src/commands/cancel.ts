/**
 * `cancel [<code>]` (docs/behaviour.md §7): drops the sender's pending order
 * with that code — still cancelling, but saying so, when it was for another
 * contact than the one written to — or lists the pending ones.
 */
import { formatBtc } from "../i18n/language.js";
import { type Command, recipientOf } from "./context.js";
import { recipientName } from "./names.js";
import { listPending } from "./pending.js";

export const cancel: Command = async (ctx) => {
  const { deps, user, target, args, t } = ctx;
  const code = args[0];
  if (code === undefined) return { text: await listPending(ctx) };
  const { order, elsewhere } = await deps.orders.cancel(user.id, code, recipientOf(target));
  return {
    text: t.cancelled({
      code: order.code,
      amount: formatBtc(t, order.amount),
      recipient: await recipientName(deps, {
        userId: order.recipientUserId,
        address: order.recipientAddress,
      }),
      elsewhere,
    }),
  };
};
