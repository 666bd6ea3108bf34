export type AccountsErrorCode =
  | "JID_INVALID"
  | "JID_WITHOUT_DOT"
  | "USERNAME_EMPTY"
  | "USERNAME_HAS_DOT"
  | "USERNAME_TOO_LONG"
  | "USERNAME_INVALID_CHARACTER"
  | "USERNAME_IS_ADDRESS"
  | "USERNAME_TAKEN"
  | "USER_NOT_FOUND"
  | "ALREADY_REGISTERED"
  | "BALANCE_NOT_EMPTY"
  | "AMOUNT_NOT_POSITIVE"
  | "SAME_ACCOUNT"
  | "INSUFFICIENT_FUNDS"
  | "PAYMENTS_BLOCKED"
  | "WITHDRAWAL_NOT_FOUND"
  | "WITHDRAWAL_STATE";

/** Every refusal of @bitcoim/accounts; match on `code`, show `message`. */
export class AccountsError extends Error {
  override readonly name = "AccountsError";
  constructor(
    readonly code: AccountsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
