/** Bitcoin Core's RPC error codes (src/rpc/protocol.h) used by the sandbox. */
export const RPC = {
  MISC_ERROR: -1,
  TYPE_ERROR: -3,
  WALLET_ERROR: -4,
  INVALID_ADDRESS_OR_KEY: -5,
  WALLET_INSUFFICIENT_FUNDS: -6,
  INVALID_PARAMETER: -8,
  DESERIALIZATION_ERROR: -22,
  VERIFY_ERROR: -25,
  WALLET_INVALID_LABEL_NAME: -11,
  WALLET_UNLOCK_NEEDED: -13,
  WALLET_PASSPHRASE_INCORRECT: -14,
  WALLET_WRONG_ENC_STATE: -15,
  WALLET_NOT_FOUND: -18,
  WALLET_NOT_SPECIFIED: -19,
  WALLET_ALREADY_LOADED: -35,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  PARSE_ERROR: -32700,
} as const;

/** An error answered to the client as `{"code": rpcCode, "message": …}`. */
export class RpcError extends Error {
  override readonly name = "RpcError";
  readonly code = "SANDBOX_RPC_ERROR";
  constructor(
    readonly rpcCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function rpcError(rpcCode: number, message: string): RpcError {
  return new RpcError(rpcCode, message);
}
