/** `balance` (docs/behaviour.md §7): confirmed and pending apart, since many clients hide presence status. */
import { formatBtc } from "../i18n/language.js";
import type { Command } from "./context.js";

export const balance: Command = async ({ deps, user, t }) => {
  const b = await deps.accounts.balance(user.id);
  return {
    text: t.balance({
      confirmed: formatBtc(t, b.confirmed),
      pending: formatBtc(t, b.pending),
      ...(b.owed > 0n ? { owed: formatBtc(t, b.owed) } : {}),
      ...(b.inFlight > 0n ? { inFlight: formatBtc(t, b.inFlight) } : {}),
    }),
  };
};
