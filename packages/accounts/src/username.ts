import { usernameKey } from "@bitcoim/db";
import { isAddress, type Network, nodeToAddress } from "@bitcoim/wallet";
import { AccountsError } from "./errors.js";

export const USERNAME_MAX_LENGTH = 64;

/**
 * BEHAVIOUR.md §2. Returns the username to store (trimmed), or throws why
 * not. Uniqueness is the database's job (`usernameKey`); this checks form:
 * no dot (a node with a dot is a real JID), not an address nor an address's
 * JID node (one JID, one meaning), and only characters a JID node can carry
 * once XEP-0106-escaped (no controls, no unassigned or private-use code points).
 */
export function checkUsername(raw: string, network: Network): string {
  const username = raw.trim().normalize("NFC");
  if (username === "") throw new AccountsError("USERNAME_EMPTY", "a username cannot be empty");
  if (username.includes(".")) {
    throw new AccountsError(
      "USERNAME_HAS_DOT",
      `"${username}" contains a dot; usernames cannot, so that they never look like a JID`,
    );
  }
  if ([...username].length > USERNAME_MAX_LENGTH) {
    throw new AccountsError(
      "USERNAME_TOO_LONG",
      `a username can have at most ${USERNAME_MAX_LENGTH} characters`,
    );
  }
  if (/[\p{C}\p{Zl}\p{Zp}\uFFFD]/u.test(username)) {
    throw new AccountsError(
      "USERNAME_INVALID_CHARACTER",
      `"${username}" contains a control, unassigned or private-use character`,
    );
  }
  if (isAddress(username, network) || decodesAsAddressNode(usernameKey(username), network)) {
    throw new AccountsError(
      "USERNAME_IS_ADDRESS",
      `"${username}" is a Bitcoin address (or an address's contact name), so it cannot be a username`,
    );
  }
  return username;
}

function decodesAsAddressNode(node: string, network: Network): boolean {
  try {
    nodeToAddress(node, network);
    return true;
  } catch {
    return false;
  }
}
