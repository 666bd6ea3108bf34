export {
  type Accounts,
  type AccountsOptions,
  createAccounts,
  type ScanOnceInput,
} from "./accounts.js";
export type { DepositAddress, DepositAddressType } from "./addresses.js";
export { AccountsError, type AccountsErrorCode } from "./errors.js";
export { createEvents, type TypedEvents } from "./events.js";
export type { AccountsEvents, DepositNotice } from "./events-map.js";
export { normaliseBareJid } from "./jid.js";
export { type AuditReport, audit } from "./ledger/audit.js";
export { type Balance, type UserWithBalance, userBalance } from "./ledger/balance.js";
export type { AppliedDeposits, ScanResult } from "./ledger/deposits.js";
export type { HistoryPage, HistoryQuery, Movement } from "./ledger/history.js";
export type { TransferInput, TransferOutcome } from "./ledger/transfer.js";
export type { Withdrawal } from "./ledger/withdrawals.js";
export { type Arrival, createOnlineResources, type OnlineResources } from "./online.js";
export {
  type CommandSession,
  type CommandSessions,
  createCommandSessions,
  type SessionLookup,
  type SessionState,
} from "./sessions.js";
export { type AfterCommit, type Handle, inTransaction, type Tx } from "./unit-of-work.js";
export type { User } from "./user.js";
export { checkUsername, USERNAME_MAX_LENGTH } from "./username.js";
