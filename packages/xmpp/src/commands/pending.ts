/** The sender's pending orders as `confirm` and `cancel` without a code list them. */
import { formatBtc, formatDate } from "../i18n/language.js";
import type { CommandContext } from "./context.js";
import { recipientName } from "./names.js";

export async function listPending({ deps, user, t }: CommandContext): Promise<string> {
  const orders = await deps.orders.listPending(user.id);
  if (orders.length === 0) return t.noPending;
  const lines = await Promise.all(
    orders.map(async (o) =>
      t.pendingLine({
        code: o.code,
        date: formatDate(t, o.createdAt),
        amount: formatBtc(t, o.amount),
        recipient: await recipientName(deps, {
          userId: o.recipientUserId,
          address: o.recipientAddress,
        }),
        comment: o.comment,
        ...(o.quotedFee === undefined ? {} : { fee: formatBtc(t, o.quotedFee) }),
      }),
    ),
  );
  return [t.pendingHeader(orders.length, t.words.confirm), ...lines].join("\n");
}
