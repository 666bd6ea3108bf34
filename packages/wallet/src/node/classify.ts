/**
 * Turns whatever the `bitcoin-core` client throws into a `BitcoinNodeError`.
 *
 * The client throws three kinds of things: its `RpcError` with a numeric
 * `code` (negative: Core's JSON-RPC code; positive: an HTTP status when the
 * body was not JSON, e.g. 401 with an empty body), Node's system errors with a
 * string `code` (ECONNREFUSED, …, from the `request` library), and json-bigint's
 * plain-object `SyntaxError` for a body that is not JSON.
 */
import { BitcoinNodeError, type BitcoinNodeErrorCode, type UnavailableReason } from "./errors.js";

const RPC_CODES: ReadonlyMap<number, BitcoinNodeErrorCode> = new Map([
  [-8, "NODE_INVALID_PARAMETER"],
  [-11, "NODE_INVALID_LABEL"],
  [-13, "NODE_WALLET_LOCKED"],
  [-14, "NODE_WRONG_PASSPHRASE"],
  [-15, "NODE_WALLET_NOT_ENCRYPTED"],
  [-18, "NODE_WALLET_NOT_FOUND"],
  [-19, "NODE_WALLET_NOT_SPECIFIED"],
  [-25, "NODE_TRANSACTION_REJECTED"],
  [-26, "NODE_TRANSACTION_REJECTED"],
  [-27, "NODE_ALREADY_IN_CHAIN"],
  [-28, "NODE_WARMING_UP"],
  [-32601, "NODE_METHOD_NOT_FOUND"],
]);

/** -5 is Core's "invalid address or key": what the key is depends on the method. */
const INVALID_KEY_BY_METHOD: ReadonlyMap<string, BitcoinNodeErrorCode> = new Map([
  ["gettransaction", "NODE_UNKNOWN_TRANSACTION"],
  ["listsinceblock", "NODE_UNKNOWN_BLOCK"],
  ["getblockheader", "NODE_UNKNOWN_BLOCK"],
  ["getblock", "NODE_UNKNOWN_BLOCK"],
]);

const SEND_METHODS: ReadonlySet<string> = new Set(["sendtoaddress", "sendmany", "send", "sendall"]);

/** Methods that may broadcast a transaction: their failures go through `sendFailure`. */
export function isSendMethod(method: string): boolean {
  const name = method.toLowerCase();
  return SEND_METHODS.has(name) || name === "sendrawtransaction";
}

const TRANSPORT: ReadonlyMap<string, UnavailableReason> = new Map([
  ["ECONNREFUSED", "connection-refused"],
  ["ECONNRESET", "connection-reset"],
  ["EPIPE", "connection-reset"],
  ["ENOTFOUND", "dns"],
  ["EAI_AGAIN", "dns"],
  ["EAI_FAIL", "dns"],
  ["ETIMEDOUT", "timeout"],
  ["ESOCKETTIMEDOUT", "timeout"],
  ["EHOSTUNREACH", "unreachable"],
  ["ENETUNREACH", "unreachable"],
  ["EHOSTDOWN", "unreachable"],
  ["ENETDOWN", "unreachable"],
]);

/** Map a failure of `method` to a typed error (an existing one passes through). */
export function classifyFailure(error: unknown, method: string): BitcoinNodeError {
  if (error instanceof BitcoinNodeError) return error;
  const code = fieldOf(error, "code");
  const message = String(fieldOf(error, "message") ?? error);
  if (typeof code === "number") {
    return code > 0
      ? fromHttpStatus(code, message, error)
      : fromRpcCode(code, message, method, error);
  }
  if (typeof code === "string") {
    const reason = TRANSPORT.get(code) ?? "unreachable";
    return new BitcoinNodeError(
      "NODE_UNAVAILABLE",
      `Bitcoin node unavailable (${reason}): ${message}`,
      {
        cause: error,
        reason,
      },
    );
  }
  // json-bigint throws {name: "SyntaxError"}; anything else from the client is a reply it choked on.
  return new BitcoinNodeError("NODE_MALFORMED_REPLY", `Unreadable reply to ${method}: ${message}`, {
    cause: error,
  });
}

/**
 * For sends only: was the request possibly executed? A refused connection,
 * DNS failure, unreachable host or a timeout while connecting never reached
 * the node; credentials and RPC errors were refused by it. Anything else
 * (read timeout, reset, garbled reply, proxy error) may have broadcast a
 * transaction, so it becomes NODE_SEND_OUTCOME_UNKNOWN: reconcile, never resend.
 */
export function sendFailure(error: unknown, method: string): BitcoinNodeError {
  const mapped = classifyFailure(error, method);
  const notSent =
    mapped.code !== "NODE_UNAVAILABLE" && mapped.code !== "NODE_MALFORMED_REPLY"
      ? true
      : mapped.reason === "connection-refused" ||
        mapped.reason === "dns" ||
        mapped.reason === "unreachable" ||
        (mapped.reason === "timeout" && fieldOf(error, "connect") === true);
  if (notSent) return mapped;
  return new BitcoinNodeError(
    "NODE_SEND_OUTCOME_UNKNOWN",
    `${method}: outcome unknown (${mapped.message}); reconcile against the wallet before doing anything else`,
    mapped.reason === undefined ? { cause: mapped } : { cause: mapped, reason: mapped.reason },
  );
}

function fromRpcCode(
  rpcCode: number,
  message: string,
  method: string,
  cause: unknown,
): BitcoinNodeError {
  let code = RPC_CODES.get(rpcCode) ?? "NODE_RPC_ERROR";
  if (rpcCode === -6 || (rpcCode === -4 && method === "fundrawtransaction")) {
    // The only -6 (fundrawtransaction: -4) the caller must tell apart; Core has no number for it.
    code = /insufficient funds/i.test(message)
      ? "NODE_INSUFFICIENT_FUNDS"
      : "NODE_TRANSACTION_FAILED";
  } else if (rpcCode === -5) {
    code = INVALID_KEY_BY_METHOD.get(method) ?? "NODE_INVALID_ADDRESS";
  } else if (rpcCode === -3) {
    // -3 is Core's generic type error; on a send it is always about the amount.
    code = SEND_METHODS.has(method) ? "NODE_INVALID_AMOUNT" : "NODE_INVALID_PARAMETER";
  }
  return new BitcoinNodeError(code, `${method}: ${message} (RPC ${rpcCode})`, {
    cause,
    rpcCode,
    rpcMessage: message,
  });
}

function fromHttpStatus(status: number, message: string, cause: unknown): BitcoinNodeError {
  if (status === 401 || status === 403) {
    return new BitcoinNodeError(
      "NODE_MISCONFIGURED",
      `Bitcoin node refused the RPC credentials (HTTP ${status})`,
      { cause },
    );
  }
  if (status === 404) {
    return new BitcoinNodeError(
      "NODE_MISCONFIGURED",
      `No JSON-RPC endpoint at this URL or wallet path (HTTP 404 ${message})`,
      { cause },
    );
  }
  return new BitcoinNodeError(
    "NODE_UNAVAILABLE",
    `Bitcoin node answered HTTP ${status} ${message}`,
    {
      cause,
      reason: "http-error",
    },
  );
}

function fieldOf(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
