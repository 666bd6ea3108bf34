/**
 * `audit` (admins only, at the gateway): the ledger's own invariant check,
 * and what users are owed against what the wallet holds, with a verdict an
 * operator can act on. Only the chat handler's command list for admins
 * names it, so nobody else can reach it.
 */
import type { AuditReport } from "@bitcoim/accounts";
import type { AuditSummary } from "../i18n/catalogue.js";
import { formatBtc } from "../i18n/language.js";
import { ChatError, type Command, type CommandDeps } from "./context.js";

/** A chat message must stay short: the first problems, and a count of the rest. */
const SHOWN_PROBLEMS = 10;

export const audit: Command = async ({ deps, admin, target, t }) => {
  if (!admin) throw new ChatError(t.unknownCommand(t.words.audit, t.words.help));
  if (target.kind !== "gateway") throw new ChatError(t.notHere(t.words.audit));
  const [report, wallet] = await Promise.all([deps.accounts.audit(), walletBalances(deps)]);
  return { text: t.audit(summarize(report, wallet, (sats) => formatBtc(t, sats))) };
};

type WalletRead = { trusted: bigint; pending: bigint } | { unavailable: string };

async function walletBalances({ wallet }: CommandDeps): Promise<WalletRead> {
  if (!wallet) return { unavailable: "no wallet configured" };
  try {
    const b = await wallet.getBalances();
    return { trusted: b.trusted, pending: b.untrustedPending };
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Users are owed their balances plus what is reserved for sends not booked
 * yet. Only the wallet's confirmed (trusted) funds count as cover: pending
 * ones are deposits not credited yet, which nobody can spend.
 */
export function summarize(
  report: AuditReport,
  wallet: WalletRead,
  format: (sats: bigint) => string,
): AuditSummary {
  const { userBalances, inFlight, owed } = report.totals;
  const liabilities = userBalances + inFlight;
  const summary: AuditSummary = {
    ledgerOk: report.ok,
    problems: report.problems.slice(0, SHOWN_PROBLEMS),
    moreProblems: Math.max(0, report.problems.length - SHOWN_PROBLEMS),
    liabilities: format(liabilities),
    userBalances: format(userBalances),
    inFlight: format(inFlight),
    owed: format(owed),
  };
  if ("unavailable" in wallet) return { ...summary, walletUnavailable: wallet.unavailable };
  const difference = wallet.trusted - liabilities;
  return {
    ...summary,
    wallet: {
      trusted: format(wallet.trusted),
      pending: format(wallet.pending),
      covered: difference >= 0n,
      difference: format(difference < 0n ? -difference : difference),
    },
  };
}
