/**
 * Typed failures of a Bitcoin node. Callers match on `code`, never on the
 * message: Core's messages change between versions, its numeric codes and our
 * string codes do not.
 */

export type BitcoinNodeErrorCode =
  /** -6 "Insufficient funds" (-4 from `fundrawtransaction`): the wallet cannot pay amount + fee. */
  | "NODE_INSUFFICIENT_FUNDS"
  /** Any other -6: the transaction could not be built (amount too small, dust, …). */
  | "NODE_TRANSACTION_FAILED"
  /** -25 / -26: the node would not accept the transaction (inputs spent, a policy, a fee above `maxfeerate`). */
  | "NODE_TRANSACTION_REJECTED"
  /** -27: the transaction is already in the chain: it was sent before. */
  | "NODE_ALREADY_IN_CHAIN"
  /** -5 outside `gettransaction`: bad or wrong-network address, unknown address type. */
  | "NODE_INVALID_ADDRESS"
  /** -5 from `gettransaction`: the txid is malformed or not in this wallet. */
  | "NODE_UNKNOWN_TRANSACTION"
  /** -5 from `listsinceblock`: the cursor block is unknown to this node (another chain?). */
  | "NODE_UNKNOWN_BLOCK"
  /** -3: an amount that is not a valid BTC amount, or out of range. */
  | "NODE_INVALID_AMOUNT"
  /** -8: a parameter Core refused (conf_target out of range, …). */
  | "NODE_INVALID_PARAMETER"
  /** -11: invalid label name, or no address carries that label. */
  | "NODE_INVALID_LABEL"
  /** -13: the wallet is encrypted and locked. */
  | "NODE_WALLET_LOCKED"
  /** -14: walletpassphrase with the wrong passphrase. */
  | "NODE_WRONG_PASSPHRASE"
  /** -15: walletpassphrase on a wallet that is not encrypted. */
  | "NODE_WALLET_NOT_ENCRYPTED"
  /** -28: the node is starting (loading blocks, verifying); try again later. */
  | "NODE_WARMING_UP"
  /** -18: the wallet named in the URL is not loaded or does not exist. */
  | "NODE_WALLET_NOT_FOUND"
  /** -19: a wallet call without a wallet while several wallets are loaded. */
  | "NODE_WALLET_NOT_SPECIFIED"
  /** -32601: the node does not know the method. */
  | "NODE_METHOD_NOT_FOUND"
  /** Any other JSON-RPC error; `rpcCode` and the message are kept. */
  | "NODE_RPC_ERROR"
  /** Not reachable: see `reason` (refused, reset, DNS, timeout, …). */
  | "NODE_UNAVAILABLE"
  /** Wrong credentials (HTTP 401/403), wrong URL (HTTP 404 without JSON), bad options. */
  | "NODE_MISCONFIGURED"
  /** The node answered something that is not what its API promises. */
  | "NODE_MALFORMED_REPLY"
  /** A send whose fate is unknown (timeout, reset, garbled reply): reconcile, never resend. */
  | "NODE_SEND_OUTCOME_UNKNOWN"
  /** The node is older than the minimum version the caller supports. */
  | "NODE_TOO_OLD"
  /** We refused an argument before calling the node. */
  | "NODE_INVALID_ARGUMENT";

/** Why a node was unreachable, for logs and operator messages. */
export type UnavailableReason =
  | "connection-refused"
  | "connection-reset"
  | "dns"
  | "timeout"
  | "unreachable"
  | "http-error";

export class BitcoinNodeError extends Error {
  override readonly name = "BitcoinNodeError";
  readonly code: BitcoinNodeErrorCode;
  /** Core's JSON-RPC error code, when the node answered with one. */
  readonly rpcCode?: number;
  /** Core's own words with that code (`message` adds the method and the code). */
  readonly rpcMessage?: string;
  /** Set on `NODE_UNAVAILABLE` (and on a send's unknown outcome caused by the transport). */
  readonly reason?: UnavailableReason;

  constructor(
    code: BitcoinNodeErrorCode,
    message: string,
    options: {
      cause?: unknown;
      rpcCode?: number;
      rpcMessage?: string;
      reason?: UnavailableReason;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.rpcCode !== undefined) this.rpcCode = options.rpcCode;
    if (options.rpcMessage !== undefined) this.rpcMessage = options.rpcMessage;
    if (options.reason !== undefined) this.reason = options.reason;
  }
}
