/**
 * What every language catalogue provides (docs/behaviour.md §7: localised
 * command words and texts). The compiler checks that each catalogue has
 * every text and a message for every error code, so adding a code to
 * accounts, orders or the amount parser fails the build until it is worded.
 */
import type { AccountsErrorCode } from "@bitcoim/accounts";
import type { OrdersErrorCode } from "@bitcoim/orders";
import type { AmountErrorCode, Bip21ErrorCode } from "@bitcoim/wallet";
import type { GatewayTexts, RegistrationTexts, StanzaTexts, VcardTexts } from "./sections.js";

export type CommandName =
  | "pay"
  | "confirm"
  | "cancel"
  | "history"
  | "help"
  | "balance"
  | "address"
  | "audit";

export type SendState = "intent" | "sent" | "confirmed" | "refunded" | "failed";

/** Facts an error message may name; amounts already formatted. */
export interface ErrorFacts {
  /** WRONG_RECIPIENT: the order's recipient; ALREADY_PAID: its code. */
  readonly recipient?: string;
  readonly code?: string;
  /** PAYMENTS_BLOCKED: why; SEND_REJECTED, SEND_FAILED: the node's reason. */
  readonly reason?: string;
  /** FEE_TOO_HIGH: the rate (sat/vB) and the estimate — or, with `limit`, this payment's exact fee. */
  readonly rate?: string;
  readonly estimate?: string;
  readonly limit?: string;
  /** FEE_CHANGED: this payment's fee now, and the one shown before (absent: an estimate was). */
  readonly fee?: string;
  readonly quoted?: string;
  /** FEE_CHANGED: the word that confirms. */
  readonly confirmWord?: string;
  /** ALREADY_PAID: still being sent rather than done. */
  readonly executing?: boolean;
  /** AMOUNT_BELOW_DUST: the smallest payment. */
  readonly minimum?: string;
  /** The amount text the user wrote. */
  readonly input?: string;
}

export type ErrorText = (facts: ErrorFacts) => string;

export interface PendingLine {
  code: string;
  date: string;
  amount: string;
  recipient: string;
  comment: string | null;
  /** On-chain: the exact network fee last shown for it. */
  fee?: string;
}

export interface HistoryLine {
  date: string;
  amount: string;
  /** A username, an address or a txid. */
  counterpart: string;
  kind: "transfer" | "deposit" | "deposit_reversal" | "send";
  comment: string | null;
  confirmations?: number;
  state?: string;
  /** Of a send: the network fee, apart from the amount; or the most it may be, while unknown. */
  fee?: string;
  feeUpTo?: string;
}

export interface QueuedSummary {
  amount: string;
  recipient: string;
  code: string;
  comment: string | null;
  fee?: string;
  /** The fee of this very payment, never exceeded — not an estimate. */
  feeExact?: boolean;
  balanceAfter: string;
  lowBalance: boolean;
  insufficient: boolean;
  minutes: number;
  confirmWord: string;
  cancelWord: string;
  /** Confirmed by completing an ad-hoc command (XEP-0050), not by typing the code. */
  viaForm?: boolean;
}

/** The ad-hoc commands (XEP-0050), by node; `jabber:iq:register` is the registration form's. */
export type AdhocNode =
  | "balance"
  | "address"
  | "address-new"
  | "history"
  | "pending"
  | "cancel"
  | "help"
  | "audit"
  | "directory"
  | "jabber:iq:register"
  | "unregister"
  | "pay";

/** The texts only ad-hoc commands show: names, field labels, instructions. */
export interface AdhocTexts {
  readonly names: Readonly<Record<AdhocNode, string>>;
  readonly amountLabel: string;
  readonly reasonLabel: string;
  readonly orderLabel: string;
  payInstructions(recipient: string): string;
  readonly chooseOrder: string;
  readonly unregisterInstructions: string;
  directory(members: readonly { username: string; jid: string }[]): string;
  readonly done: string;
  readonly sessionUnknown: string;
  readonly sessionExpired: string;
  badAction(action: string): string;
  readonly noSuchCommand: string;
}

/** What the admins' `audit` found; amounts already formatted. */
export interface AuditSummary {
  /** The ledger's own check (docs/architecture.md §5.2) passed. */
  ledgerOk: boolean;
  /** At most a few of the ledger's problems, and how many more there are. */
  problems: readonly string[];
  moreProblems: number;
  /** What users hold plus what is reserved for sends in flight. */
  liabilities: string;
  userBalances: string;
  inFlight: string;
  owed: string;
  /** The wallet, when it could be read: its confirmed (trusted) and pending funds. */
  wallet?: { trusted: string; pending: string; covered: boolean; difference: string };
  /** Why the wallet could not be read. */
  walletUnavailable?: string;
}

export interface Catalogue {
  /** The language tag (primary subtag) and the locale amounts and dates use. */
  readonly lang: string;
  readonly locale: string;
  readonly words: Readonly<Record<CommandName, string>>;
  /** The argument of `address new`. */
  readonly newWord: string;
  /** Starts every failure reply, e.g. "Error:". */
  readonly errorPrefix: string;
  readonly usage: Readonly<Record<CommandName, string>>;
  readonly describe: Readonly<Record<CommandName, string>>;
  /** An on-chain payment's state, as history shows it. */
  readonly sendStates: Readonly<Record<SendState, string>>;

  readonly editNotExecuted: string;
  readonly registerFirst: string;
  rateLimited(limit: number): string;
  unknownCommand(word: string, helpWord: string): string;
  ambiguous(word: string, candidates: readonly string[]): string;
  noSuchUser(name: string): string;
  internalError: string;

  helpIntro: string;
  helpBareAddress: string;
  notHere(command: string): string;
  payAtGateway: string;
  amountRequired: string;
  badPage(text: string): string;
  queued(q: QueuedSummary): string;
  paidInternal(p: { amount: string; recipient: string; balance: string }): string;
  paidOnChain(p: { amount: string; address: string; txid: string; fee?: string }): string;
  noPending: string;
  pendingHeader(count: number, confirmWord: string): string;
  pendingLine(line: PendingLine): string;
  cancelled(c: { code: string; amount: string; recipient: string; elsewhere: boolean }): string;
  historyEmpty(page: number): string;
  historyHeader(page: number, withWhom?: string): string;
  historyLine(line: HistoryLine): string;
  historyMore(command: string): string;
  balance(b: { confirmed: string; pending: string; owed?: string; inFlight?: string }): string;
  addresses(list: readonly { address: string; uri: string }[], newCommand: string): string;
  addressCreated(a: { address: string; uri: string }): string;
  bareAddress(address: string, payWord: string): string;
  /** A pasted `bitcoin:` URI without an amount: the address's JID says how to pay it. */
  uriWithoutAmount(p: { address: string; payWord: string; label?: string }): string;
  audit(a: AuditSummary): string;
  readonly adhoc: AdhocTexts;

  /** Presence statuses (docs/behaviour.md §6). */
  gatewayStatus(s: { username: string; balance: string; pending?: string }): string;
  addressStatus(s: { share: string }): string;
  userStatus(s: { username: string; balance: string }): string;
  shuttingDown: string;
  /** Added to the gateway's status while the Bitcoin node cannot be reached. */
  bitcoinUnavailable: string;
  newAddressGreeting: string;

  /** Notifications of balance changes (docs/behaviour.md §6). */
  depositSeen(d: { amount: string; address: string; txid: string; confirmations: number }): string;
  depositCredited(d: { amount: string; address: string; txid: string; balance: string }): string;
  depositReversed(d: { amount: string; txid: string; shortfall?: string }): string;
  /** A deposit seen, never credited, double-spent on the network. */
  depositDropped(d: { amount: string; address: string; txid: string }): string;
  paymentReceived(p: {
    amount: string;
    from: string;
    comment: string | null;
    balance: string;
  }): string;
  paymentConfirmed(p: {
    amount: string;
    address: string;
    txid: string;
    confirmations: number;
  }): string;
  /** `unsent`: the node has no record of it; `conflicted`: a double spend of `txid` was mined. */
  paymentRefunded(p: {
    amount: string;
    address: string;
    cause: "unsent" | "conflicted";
    txid?: string;
  }): string;
  paymentFailed(p: { amount: string; address: string; reason: string }): string;

  readonly errors: {
    readonly accounts: Readonly<Record<AccountsErrorCode, ErrorText>>;
    readonly orders: Readonly<Record<OrdersErrorCode, ErrorText>>;
    readonly amount: Readonly<Record<AmountErrorCode, ErrorText>>;
    /** A pasted `bitcoin:` URI (BIP21) that cannot be paid. */
    readonly uri: Readonly<Record<Bip21ErrorCode, ErrorText>>;
  };
  /** The other stanzas' texts, by section (sections.ts). */
  readonly gateway: GatewayTexts;
  readonly registration: RegistrationTexts;
  readonly stanza: StanzaTexts;
  readonly vcard: VcardTexts;
}
