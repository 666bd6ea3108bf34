/**
 * `history [<page>]` (docs/behaviour.md §7): the latest 20 movements, a page
 * at a time; written to an address or a user, only those with it.
 */
import type { Movement } from "@bitcoim/accounts";
import type { Catalogue, SendState } from "../i18n/catalogue.js";
import { formatBtc, formatDate } from "../i18n/language.js";
import { ChatError, type Command } from "./context.js";

export const PAGE_SIZE = 20;

export const history: Command = async ({ deps, user, target, args, t, viaForm }) => {
  const written = args[0];
  const page = written === undefined ? 1 : Number(written);
  if (written !== undefined && (!/^[0-9]{1,6}$/.test(written) || page < 1)) {
    throw new ChatError(t.badPage(written));
  }
  const withWhom =
    target.kind === "user"
      ? { with: { userId: target.user.id } }
      : target.kind === "address"
        ? { with: { address: target.address } }
        : {};
  const result = await deps.accounts.history(user.id, { page, pageSize: PAGE_SIZE, ...withWhom });
  if (result.items.length === 0) return { text: t.historyEmpty(page) };
  const name =
    target.kind === "user"
      ? target.user.username
      : target.kind === "address"
        ? target.address
        : undefined;
  const lines = [
    t.historyHeader(page, name),
    ...result.items.map((m) => line(t, m)),
    ...(result.hasMore && !viaForm ? [t.historyMore(`${t.words.history} ${page + 1}`)] : []),
  ];
  return { text: lines.join("\n"), more: result.hasMore };
};

function line(t: Catalogue, m: Movement): string {
  const sign = m.amount > 0n ? "+" : "";
  // A send shows what went to the recipient; its fee is a figure of its own.
  const amount =
    m.sent !== undefined ? `-${formatBtc(t, m.sent)}` : `${sign}${formatBtc(t, m.amount)}`;
  return t.historyLine({
    date: formatDate(t, m.at),
    amount,
    counterpart: m.counterpart?.username ?? m.address ?? m.txid ?? "?",
    kind: m.kind,
    comment: m.memo,
    ...(m.confirmations !== undefined ? { confirmations: m.confirmations } : {}),
    ...(m.state !== undefined ? { state: t.sendStates[m.state as SendState] ?? m.state } : {}),
    ...(m.fee !== undefined ? { fee: formatBtc(t, m.fee) } : {}),
    ...(m.maxFee !== undefined ? { feeUpTo: formatBtc(t, m.maxFee) } : {}),
  });
}
