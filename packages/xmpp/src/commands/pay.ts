/**
 * `pay <amount> [reason…]` to an address or a user JID
 * (docs/behaviour.md §7): queues an order and answers with its summary, the
 * network fee of an on-chain payment (exact when the wallet could fund it
 * now), a low-balance warning and the code to confirm.
 */
import { parseAmount } from "@bitcoim/wallet";
import { formatBtc } from "../i18n/language.js";
import { ChatError, type Command, recipientOf } from "./context.js";

/** Unit words `parseAmount` accepts after a space: `pay 2000 sat for lunch`. */
const UNITS = new Set(["btc", "mbtc", "sat", "sats", "satoshi", "satoshis"]);

/**
 * The amount (with its unit, if one follows) and the reason after it. A
 * number followed by a group of three digits, `1 000`, is taken whole, for
 * the amount parser to refuse: docs/behaviour.md §7 never accepts grouping,
 * and paying 1 BTC "for 000" is never what was meant.
 */
export function splitAmount(rest: string): { amount: string; reason: string } {
  const words = rest.split(/\s+/u).filter(Boolean);
  const grouped =
    words.length > 1 && /^\d{1,3}$/u.test(words[0]!) && /^\d{3}(?:[.,]\d*)?$/u.test(words[1]!);
  const withUnit = words.length > 1 && UNITS.has(words[1]!.toLowerCase());
  const taken = grouped || withUnit ? 2 : words.length > 0 ? 1 : 0;
  const amount = words.slice(0, taken).join(" ");
  // The reason keeps its own spacing: cut after the amount's words.
  let reason = rest;
  for (const word of words.slice(0, taken)) {
    reason = reason.slice(reason.indexOf(word) + word.length);
  }
  return { amount, reason: reason.trim() };
}

export const pay: Command = async ({ deps, user, target, rest, t, viaForm }) => {
  const recipient = recipientOf(target);
  if (!recipient) throw new ChatError(t.payAtGateway);
  const { amount: written, reason } = splitAmount(rest);
  if (written === "") throw new ChatError(t.amountRequired);
  const amount = parseAmount(written);
  const queued = await deps.orders.queue(user, recipient, amount, reason || null);
  const name =
    target.kind === "user" ? target.user.username : "address" in recipient ? recipient.address : "";
  return {
    text: t.queued({
      amount: formatBtc(t, amount),
      recipient: name,
      code: queued.order.code,
      comment: queued.order.comment,
      ...(queued.fee ? { fee: formatBtc(t, queued.fee.estimate), feeExact: queued.fee.exact } : {}),
      balanceAfter: formatBtc(t, queued.balanceAfter),
      lowBalance: queued.lowBalance,
      insufficient: queued.insufficient,
      minutes: Math.round(
        (queued.order.expiresAt.getTime() - queued.order.createdAt.getTime()) / 60_000,
      ),
      confirmWord: t.words.confirm,
      cancelWord: t.words.cancel,
      viaForm: viaForm === true,
    }),
    code: queued.order.code,
  };
};
