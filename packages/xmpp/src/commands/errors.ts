/**
 * Every refusal of accounts, orders and the amount parser, as a sentence in
 * the user's language (the catalogues word each code; callers match codes,
 * never messages). Undefined for anything else, which is a bug to log.
 */
import { AccountsError } from "@bitcoim/accounts";
import { type Order, OrdersError } from "@bitcoim/orders";
import { AmountError, Bip21Error } from "@bitcoim/wallet";
import type { ErrorFacts } from "../i18n/catalogue.js";
import { formatBtc } from "../i18n/language.js";
import { ChatError, type CommandContext } from "./context.js";
import { recipientName } from "./names.js";

export async function describeError(
  error: unknown,
  ctx: Pick<CommandContext, "t" | "user" | "deps">,
  /** What the user wrote that the refusal may quote: the code or the amount. */
  written: ErrorFacts = {},
): Promise<string | undefined> {
  const { t } = ctx;
  if (error instanceof ChatError) return error.message;
  if (error instanceof AmountError) return t.errors.amount[error.code](written);
  if (error instanceof Bip21Error) return t.errors.uri[error.code](written);
  if (error instanceof AccountsError) {
    return t.errors.accounts[error.code](await blockedFacts(error.code, ctx));
  }
  if (!(error instanceof OrdersError)) return undefined;
  const facts: ErrorFacts = { ...written, ...(await blockedFacts(error.code, ctx)) };
  const d = error.details;
  switch (error.code) {
    case "WRONG_RECIPIENT": {
      const userId = typeof d.recipientUserId === "number" ? d.recipientUserId : null;
      const address = typeof d.recipientAddress === "string" ? d.recipientAddress : null;
      const recipient = await recipientName(ctx.deps, { userId, address });
      return t.errors.orders.WRONG_RECIPIENT({ recipient });
    }
    case "ALREADY_PAID": {
      const order = d.order as Order | undefined;
      return t.errors.orders.ALREADY_PAID({
        ...(order ? { code: order.code } : written),
        executing: order?.status === "executing",
      });
    }
    case "FEE_TOO_HIGH": {
      const rate = typeof d.rate === "bigint" ? d.rate.toString() : "?";
      const estimate = typeof d.estimate === "bigint" ? formatBtc(t, d.estimate) : "?";
      const limit = typeof d.limit === "bigint" ? { limit: formatBtc(t, d.limit) } : {};
      return t.errors.orders.FEE_TOO_HIGH({ rate, estimate, ...limit });
    }
    case "FEE_CHANGED": {
      const fee = typeof d.fee === "bigint" ? formatBtc(t, d.fee) : "?";
      const quoted = typeof d.quoted === "bigint" ? { quoted: formatBtc(t, d.quoted) } : {};
      const code = typeof d.code === "string" ? d.code : (written.code ?? "");
      return t.errors.orders.FEE_CHANGED({ fee, ...quoted, code, confirmWord: t.words.confirm });
    }
    case "SEND_REJECTED":
    case "SEND_FAILED":
      // The node's own words, which name what it refused.
      return t.errors.orders[error.code](
        typeof d.reason === "string" ? { ...facts, reason: d.reason } : facts,
      );
    default:
      return t.errors.orders[error.code](facts);
  }
}

/** PAYMENTS_BLOCKED names the reason stored with the user. */
async function blockedFacts(
  code: string,
  ctx: Pick<CommandContext, "user" | "deps">,
): Promise<ErrorFacts> {
  if (code !== "PAYMENTS_BLOCKED") return {};
  const fresh = await ctx.deps.accounts.byId(ctx.user.id);
  const reason = fresh?.blockedReason ?? ctx.user.blockedReason;
  return reason ? { reason } : {};
}
