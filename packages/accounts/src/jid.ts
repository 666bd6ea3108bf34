import { AccountsError } from "./errors.js";

/**
 * A bare JID as users are keyed by: lower-cased (JID domains and, for the
 * servers we meet, local parts compare case-insensitively), no resource.
 */
export function normaliseBareJid(jid: string): string {
  const bare = jid.trim().normalize("NFC").toLowerCase();
  const at = bare.indexOf("@");
  const domain = at === -1 ? bare : bare.slice(at + 1);
  const local = at === -1 ? "" : bare.slice(0, at);
  if (
    bare === "" ||
    bare.includes("/") ||
    domain === "" ||
    domain.includes("@") ||
    (at !== -1 && local === "") ||
    /[\s\p{Cc}]/u.test(bare) ||
    bare.length > 3071
  ) {
    throw new AccountsError("JID_INVALID", `"${jid}" is not a bare JID (local@domain)`);
  }
  return bare;
}

/**
 * docs/behaviour.md §2: a JID without a dot could be mistaken for a username
 * on the gateway's domain, so it may not register.
 */
export function requireDot(bareJid: string): void {
  if (!bareJid.includes(".")) {
    throw new AccountsError(
      "JID_WITHOUT_DOT",
      `${bareJid} has no dot in it and could be confused with a username; register from an account on a domain with a dot`,
    );
  }
}
