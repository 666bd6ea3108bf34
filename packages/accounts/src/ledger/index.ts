/**
 * `@bitcoim/accounts/ledger`: the ledger's steps inside a transaction the
 * caller holds, for a package that moves money together with its own rows
 * (as `@bitcoim/orders` claims an order in the transaction that reserves
 * its send). Each step posts balanced journals and keeps the invariants of
 * docs/architecture.md §5.2. Everyday code uses the accounts service.
 */
export { type Posted, post } from "./journal.js";
export { reverseSend } from "./reverse-send.js";
export {
  followReplacement,
  markConfirmed,
  recordTxid,
  reopen,
} from "./send-progress.js";
export {
  fundsRefusal,
  type TransferInput,
  type TransferOutcome,
  transfer,
  transferRefusal,
} from "./transfer.js";
export {
  type ReserveInput,
  reinstate,
  release,
  reserve,
  settle,
  type Withdrawal,
} from "./withdrawals.js";
