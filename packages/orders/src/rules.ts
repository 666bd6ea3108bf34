import { type Accounts, AccountsError, type User } from "@bitcoim/accounts";
import { AddressError, BitcoinNodeError, type Network, validateAddress } from "@bitcoim/wallet";
import { OrdersError } from "./errors.js";

export async function registered(
  accounts: Pick<Accounts, "byId">,
  userId: number,
  code: "SENDER_NOT_FOUND" | "RECIPIENT_NOT_FOUND",
): Promise<User> {
  return stillRegistered(await accounts.byId(userId), code);
}

/** `user` if they are registered, as read (by the caller or just now); refused otherwise. */
export function stillRegistered(
  user: User | undefined,
  code: "SENDER_NOT_FOUND" | "RECIPIENT_NOT_FOUND",
): User {
  if (!user || user.unregisteredAt !== null) {
    throw new OrdersError(
      code,
      code === "SENDER_NOT_FOUND" ? "you are not registered" : "that user is not registered",
    );
  }
  return user;
}

/** Node failures that mean "try later", as the user should hear them; undefined for others. */
export function nodeUnavailable(error: unknown): OrdersError | undefined {
  if (!(error instanceof BitcoinNodeError)) return undefined;
  if (
    ![
      "NODE_UNAVAILABLE",
      "NODE_MISCONFIGURED",
      "NODE_WARMING_UP",
      "NODE_WALLET_LOCKED",
      "NODE_WALLET_NOT_FOUND",
    ].includes(error.code)
  ) {
    return undefined;
  }
  return new OrdersError(
    "NODE_UNAVAILABLE",
    "the Bitcoin node is unavailable right now; nothing was paid and your order stays pending — try again in a moment",
    {},
    { cause: error },
  );
}

/** The ledger's refusals, in the orders vocabulary. */
export function fromLedger(error: unknown): unknown {
  if (error instanceof AccountsError && error.code === "USER_NOT_FOUND") {
    return new OrdersError(
      "RECIPIENT_NOT_FOUND",
      "that user is not registered any more",
      {},
      { cause: error },
    );
  }
  if (
    error instanceof AccountsError &&
    (error.code === "INSUFFICIENT_FUNDS" || error.code === "PAYMENTS_BLOCKED")
  ) {
    const message =
      error.code === "INSUFFICIENT_FUNDS"
        ? "your balance is too low for this payment"
        : error.message;
    return new OrdersError(error.code, message, {}, { cause: error });
  }
  return error;
}

/** An address in its one spelling (bech32 in lower case), as the wallet writes it back. */
export function canonicalAddress(address: string, network: Network): string {
  try {
    return validateAddress(address, network).address;
  } catch (error) {
    if (error instanceof AddressError) {
      throw new OrdersError("INVALID_ADDRESS", error.message, {}, { cause: error });
    }
    throw error;
  }
}
