import { usernameKey } from "@bitcoim/db";
import { isAddress, type Network, nodeToAddress } from "@bitcoim/wallet";
import { AccountsError } from "./errors.js";

export const USERNAME_MAX_LENGTH = 64;

/**
 * docs/behaviour.md §2. Returns the username to store (trimmed), or throws
 * why not. Uniqueness is the database's job (`usernameKey`); this checks
 * form: no dot (a node with a dot is a real JID), not an address nor an
 * address's JID node (one JID, one meaning), and only characters a JID node
 * can carry once XEP-0106-escaped (no controls, no unassigned or
 * private-use code points).
 */
export function checkUsername(raw: string, network: Network): string {
  const username = raw.trim().normalize("NFC");
  if (username === "") throw new AccountsError("USERNAME_EMPTY", "a username cannot be empty");
  // XMPP servers compare JIDs in compatibility form (NFKC), so "a．b" is
  // "a.b" by the time it reaches us: the dot rule holds for that form too.
  const compatible = usernameKey(username);
  if (username.includes(".") || compatible.includes(".")) {
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
  // XEP-0106 escapes these in our JIDs; a full-width one is not escaped but
  // becomes the ASCII one on the server, which then refuses the JID.
  if (specials(compatible) !== specials(username.toLowerCase())) {
    throw new AccountsError(
      "USERNAME_INVALID_CHARACTER",
      `"${username}" contains a character that XMPP turns into one of space " & ' / : < > @ \\, which a contact's address cannot carry that way`,
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

/** The characters XEP-0106 escapes in a JID's node, in order. */
function specials(text: string): string {
  return text.replace(/[^ "&'/:<>@\\]/g, "");
}

function decodesAsAddressNode(node: string, network: Network): boolean {
  try {
    nodeToAddress(node, network);
    return true;
  } catch {
    return false;
  }
}
