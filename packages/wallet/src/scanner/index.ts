/** Deposit scanning as a pure step over `listsinceblock`. */
export {
  type DepositEvent,
  type DepositEventKind,
  type Outpoint,
  type ScanDepositsInput,
  type ScanStep,
  type ShallowCredit,
  scanDeposits,
} from "./scan.js";
