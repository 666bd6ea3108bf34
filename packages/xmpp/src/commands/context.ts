/** What a chat command gets, and what it gives back. */
import type { User } from "@bitcoim/accounts";
import type { Recipient } from "@bitcoim/orders";
import type { BitcoinNode } from "@bitcoim/wallet";
import type { Catalogue, CommandName } from "../i18n/catalogue.js";
import type { JidModel } from "../jids.js";
import type { RosterItems } from "../roster-items.js";
import type { AccountsService, OrdersService } from "../services.js";
import type { Element } from "../xml.js";

/** The contact a command was written to, resolved. */
export type Target =
  | { readonly kind: "gateway" }
  | { readonly kind: "address"; readonly address: string }
  | { readonly kind: "user"; readonly user: User };

export interface CommandDeps {
  readonly accounts: AccountsService;
  readonly orders: OrdersService;
  readonly jids: JidModel;
  /** The gateway's wallet, for the admins' `audit`; without it the audit checks the ledger only. */
  readonly wallet?: Pick<BitcoinNode, "getBalances"> | undefined;
  /** A block-explorer link for a transaction, shown after its txid (services.ts `txLinker`). */
  readonly txLink?: ((txid: string) => string | undefined) | undefined;
  /** Roster items without prompts, where the server allows it (XEP-0356). */
  readonly roster?: RosterItems | undefined;
}

export interface CommandContext {
  readonly deps: CommandDeps;
  readonly user: User;
  /** The sender is one of the configured admins. */
  readonly admin: boolean;
  readonly target: Target;
  /** The JID written to, as written: replies come from it. */
  readonly to: string;
  readonly args: readonly string[];
  readonly rest: string;
  readonly t: Catalogue;
  /** Asked by an ad-hoc command's form (XEP-0050) rather than typed: replies say "complete", not a word to type. */
  readonly viaForm?: boolean;
  /** `confirm`: the orders' `confirmAs` found no order paying a user with this code. */
  readonly byCodeTried?: boolean;
}

export interface CommandReply {
  readonly text: string;
  /** Reply from another JID than the one written to (a bare address: its own JID). */
  readonly from?: string;
  /** Stanzas to send after the reply (a subscription request for a new address). */
  readonly after?: readonly Element[];
  /** `pay`: the queued order's code, for the ad-hoc command's next step. */
  readonly code?: string;
  /** `history`: whether a later page exists. */
  readonly more?: boolean;
}

export type Command = (ctx: CommandContext) => Promise<CommandReply>;

/** A refusal already worded for the user; the chat handler prefixes it as an error. */
export class ChatError extends Error {
  override readonly name = "ChatError";
  readonly code = "CHAT_REFUSED";
}

/** The orders service's view of the target, when it is a payee. */
export function recipientOf(target: Target): Recipient | undefined {
  if (target.kind === "address") return { address: target.address };
  // The user as just looked up: orders need not read them again.
  if (target.kind === "user") return { userId: target.user.id, user: target.user };
  return undefined;
}

/** Every user's commands, in the order help lists them. */
export const ALL_COMMANDS: readonly CommandName[] = [
  "pay",
  "confirm",
  "cancel",
  "history",
  "balance",
  "address",
  "help",
];

/**
 * The commands a sender may run: admins also `audit`. Others never see it,
 * so that it neither shows in their help nor makes their prefixes ambiguous.
 */
export function commandsFor(admin: boolean): readonly CommandName[] {
  return admin ? [...ALL_COMMANDS, "audit"] : ALL_COMMANDS;
}

/** Commands that make sense where they are written (docs/behaviour.md §7): no `pay` at the gateway, `address` and `audit` only there. */
export function commandsAt(target: Target, admin = false): readonly CommandName[] {
  const gateway = target.kind === "gateway";
  return commandsFor(admin && gateway).filter((c) => (gateway ? c !== "pay" : c !== "address"));
}
