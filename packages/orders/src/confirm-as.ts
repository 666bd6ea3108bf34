/**
 * `confirm` as a chat sends it, in one round trip (docs/architecture.md
 * §5.4): the sender by bare JID and the contact written to by username,
 * then the sender's order with that code paid if it pays a user — all in
 * `bitcoim.pay_order_as`, whose claim is `pay_order`'s, as for `confirm`.
 * Whatever it does not pay, `confirm` with the users it answers explains.
 */
import { normaliseBareJid, type User } from "@bitcoim/accounts";
import { fundsRefusal } from "@bitcoim/accounts/ledger";
import { rowFromJson, usernameKey, users } from "@bitcoim/db";
import { normaliseCode } from "./code.js";
import { settle } from "./confirm.js";
import type { OrdersContext } from "./context.js";
import type { Paid } from "./events.js";
import { fromLedger } from "./rules.js";

export interface ConfirmedAs {
  /** The registered user with that JID; undefined when there is none (nothing was tried). */
  sender: User | undefined;
  /** Written to a username: who holds it; undefined when nobody does (nothing was paid). */
  target?: User | undefined;
  /**
   * The order paid, or the refusal to tell (the order then stays pending);
   * absent when the code names no pending order paying a user: then
   * `confirm(sender.id, code, to, { byCodeTried: true })` says why, or
   * pays an address.
   */
  outcome?: { paid: Paid; payee: User } | { refused: unknown };
}

export async function confirmAs(
  ctx: OrdersContext,
  jid: string,
  code: string,
  toUsername?: string,
): Promise<ConfirmedAs> {
  const now = ctx.now();
  let rows: Awaited<ReturnType<typeof ctx.lookups.payAs.execute>>;
  try {
    rows = await ctx.lookups.payAs.execute({
      jid: normaliseBareJid(jid),
      code: normaliseCode(code),
      toKey: toUsername === undefined ? null : usernameKey(toUsername),
      now: now.toISOString(),
    });
  } catch (error) {
    // A refusal the database raised (too low a balance): nothing changed,
    // and no user came back with it.
    throw fromLedger(fundsRefusal(error) ?? error);
  }
  const [row] = rows;
  if (!row) return { sender: undefined };
  const { sender, target, payee, outcome, reason, senderBalance, ...order } = row;
  // What was paid is settled first, so that its event (the payee's notice)
  // never waits on reading the users back.
  let settled: { paid: Paid } | { refused: unknown } | undefined;
  if (outcome !== null) {
    settled = await settle(ctx, order, order.recipientUserId!, now, {
      outcome,
      reason,
      senderBalance,
    }).then(
      (paid) => ({ paid }),
      (refused: unknown) => ({ refused }),
    );
  }
  const found = {
    sender: rowFromJson(users, sender),
    ...(toUsername === undefined
      ? {}
      : { target: target ? rowFromJson(users, target) : undefined }),
  };
  if (!settled) return found;
  if ("refused" in settled) return { ...found, outcome: settled };
  return { ...found, outcome: { paid: settled.paid, payee: rowFromJson(users, payee!) } };
}
