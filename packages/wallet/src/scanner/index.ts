/** Deposit scanning as a pure step over `listsinceblock`. */
export {
  type DepositEvent,
  type DepositEventKind,
  type Outpoint,
  type ScanDepositsInput,
  type ScanStep,
  scanDeposits,
} from "./scan.js";
