/** The Bitcoin Core node behind a small typed interface. */
export {
  BitcoinNodeError,
  type BitcoinNodeErrorCode,
  type UnavailableReason,
} from "./errors.js";
export { createBitcoinNode, type RpcBitcoinNode } from "./rpc-node.js";
export type { BitcoinNodeOptions } from "./transport.js";
export type * from "./types.js";
