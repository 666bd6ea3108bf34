/**
 * Privileged entity (XEP-0356): what the user's server lets the gateway
 * do. A server that grants roster access says so in a message from its
 * host right after the component's handshake (§4.2), in the namespace of
 * the version it speaks (`urn:xmpp:privilege:1` up to v0.3, `:2` since
 * v0.4); the grant holds for that host's users, for this connection.
 *
 * Only the server itself can send such a message: a `from` without a
 * node or a resource is a host, and the grant is recorded for that host
 * alone, so no one can give the gateway rights over another server's
 * users.
 */
import type { Element } from "./xml.js";

export const NS_PRIVILEGE_1 = "urn:xmpp:privilege:1";
export const NS_PRIVILEGE_2 = "urn:xmpp:privilege:2";
const NAMESPACES = [NS_PRIVILEGE_2, NS_PRIVILEGE_1];

/** XEP-0356 §4.1: what the gateway may do with a host's rosters. */
export type RosterAccess = "none" | "get" | "set" | "both";
const ACCESS = new Set<string>(["none", "get", "set", "both"]);

export interface Privileges {
  /**
   * Takes a privilege advertisement; true when `stanza` was one (so that
   * no other handler answers it), false for anything else.
   */
  take(stanza: Element): boolean;
  /** The roster access `host` granted on this connection ("none" if it said nothing). */
  roster(host: string): RosterAccess;
  /** Whether the gateway may add and remove roster items of `host`'s users. */
  canSetRoster(host: string): boolean;
  /** Drops every grant: a new connection brings new advertisements. */
  forget(): void;
}

const isHost = (jid: string) => jid !== "" && !jid.includes("@") && !jid.includes("/");

export function createPrivileges(): Privileges {
  const granted = new Map<string, RosterAccess>();
  const roster = (host: string) => granted.get(host.toLowerCase()) ?? "none";

  return {
    take(stanza) {
      if (!stanza.is("message")) return false;
      const privilege = NAMESPACES.map((ns) => stanza.getChild("privilege", ns)).find(Boolean);
      if (!privilege) return false;
      const from = (stanza.attrs.from ?? "").toLowerCase();
      if (!isHost(from)) return true; // swallowed: nobody else may grant anything
      const perm = privilege.getChildren("perm").find((p) => p.attrs.access === "roster");
      const type = perm?.attrs.type ?? "none";
      // A later advertisement replaces an earlier one (§4.2: the server resends on change).
      granted.set(from, ACCESS.has(type) ? (type as RosterAccess) : "none");
      return true;
    },
    roster,
    canSetRoster(host) {
      const access = roster(host);
      return access === "set" || access === "both";
    },
    forget: () => granted.clear(),
  };
}
