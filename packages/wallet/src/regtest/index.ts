/**
 * `@bitcoim/wallet/regtest`: throw-away regtest chains for tests and demos —
 * a real `bitcoind -regtest` started and stopped by PID, and funding of any
 * regtest node (the sandbox included) with spendable coins.
 */
export {
  type Bitcoind,
  type BitcoindOptions,
  BitcoindStartError,
  startBitcoind,
} from "./bitcoind.js";
export { type ChainKind, startChain, type TestChain } from "./chain.js";
export { mineDoubleSpend } from "./double-spend.js";
export { ensureWallet, type FundedChain, fundChain, type RpcEndpoint } from "./funded.js";
export { bitcoindForTests, type Located, locateBitcoind } from "./locate.js";
export { freePort } from "./port.js";
