/**
 * `@bitcoim/wallet/sandbox`: a Bitcoin Core–compatible regtest JSON-RPC
 * server in-process. Code written against it runs unchanged against
 * `bitcoind -regtest` v30.
 */
export {
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from "./start.js";
export { SandboxStateError, type SandboxStateErrorCode } from "./state.js";
export { type FundedSandbox, mineDoubleSpend, startFundedSandbox } from "./world.js";
