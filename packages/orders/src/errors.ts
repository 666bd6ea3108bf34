export type OrdersErrorCode =
  | "SENDER_NOT_FOUND"
  | "RECIPIENT_NOT_FOUND"
  | "PAY_YOURSELF"
  | "PAY_OWN_ADDRESS"
  | "INVALID_ADDRESS"
  | "AMOUNT_NOT_POSITIVE"
  | "AMOUNT_BELOW_DUST"
  | "ORDER_NOT_FOUND"
  | "ALREADY_PAID"
  | "WRONG_RECIPIENT"
  | "INSUFFICIENT_FUNDS"
  | "PAYMENTS_BLOCKED"
  | "FEE_TOO_HIGH"
  | "FEE_CHANGED"
  | "NODE_UNAVAILABLE"
  | "WALLET_CANNOT_FUND"
  | "SENDS_BUSY"
  | "POOL_TOO_SMALL"
  | "SEND_REJECTED"
  | "SEND_FAILED"
  | "SEND_OUTCOME_UNKNOWN";

/** Every refusal of @bitcoim/orders; match on `code`, show `message`. */
export class OrdersError extends Error {
  override readonly name = "OrdersError";
  constructor(
    readonly code: OrdersErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
