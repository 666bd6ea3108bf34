/**
 * What XEP-0077 registration says to people: the instructions, and why a
 * username is refused (one text per AccountsError code).
 */
import type { AccountsErrorCode } from "@bitcoim/accounts";

export const INSTRUCTIONS =
  "Choose a username: other users can pay you by it. It cannot contain a dot or be a Bitcoin address.";

/** Why a registration or rename was refused, per AccountsError code, for the requester. */
export function refusalText(code: AccountsErrorCode, username: string): string {
  switch (code) {
    case "USERNAME_EMPTY":
      return "The username is empty; please choose one.";
    case "USERNAME_HAS_DOT":
      return `"${username}" contains a dot; usernames cannot, so that they never look like a JID.`;
    case "USERNAME_TOO_LONG":
      return `"${username}" is too long; choose a shorter username.`;
    case "USERNAME_INVALID_CHARACTER":
      return `"${username}" contains a character a username cannot have.`;
    case "USERNAME_IS_ADDRESS":
      return `"${username}" is a Bitcoin address (or an address's contact name), so it cannot be a username.`;
    case "USERNAME_TAKEN":
      return `The username "${username}" is already taken; please choose another.`;
    case "JID_WITHOUT_DOT":
      return "Your JID cannot register here: it has no dot, so it could be confused with a username.";
    case "JID_INVALID":
      return "Your JID cannot register here: it is not a valid bare JID.";
    case "ALREADY_REGISTERED":
      return "You are registered already; send your new username to change it.";
    case "USER_NOT_FOUND":
      return "You are not registered (any more); register again to choose a username.";
    case "BALANCE_NOT_EMPTY":
      return "You still have money here: withdraw it (and wait for pending payments) before unregistering.";
    default:
      return "Your registration could not be changed.";
  }
}
