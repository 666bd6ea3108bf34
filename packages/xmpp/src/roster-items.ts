/**
 * Roster items without prompts (XEP-0356 §4.3): where the user's server
 * granted the gateway roster access, registering puts a "bitcoIM" item
 * and one per address into the user's roster, in a "Bitcoin" group, and
 * unregistering takes them out — no subscription request to approve.
 *
 * Each item is its own roster set (RFC 6121 §2.3.2: one item per set).
 * Where the host granted nothing, or a set fails, the caller falls back to
 * today's subscription requests (XEP-0100 §4.1.1), so a user always ends
 * up with their contacts one way or the other.
 */
import type { JidModel } from "./jids.js";
import type { Logger } from "./log.js";
import type { Privileges } from "./privilege.js";
import { type Element, xml } from "./xml.js";

export const NS_ROSTER = "jabber:iq:roster";
export const ROSTER_GROUP = "Bitcoin";
/** The gateway's item's name: the product, as the user knows it. */
export const GATEWAY_NAME = "bitcoIM";

export interface RosterItem {
  readonly jid: string;
  readonly name: string;
}

export interface RosterItems {
  /**
   * Adds one item per address and, unless `gateway` is false, the
   * gateway's; false when the server did not take them all.
   */
  add(bare: string, items: { addresses: readonly string[]; gateway?: boolean }): Promise<boolean>;
  /** Removes the gateway's and the addresses' items; false when the server did not. */
  remove(bare: string, addresses: readonly string[]): Promise<boolean>;
}

export function createRosterItems({
  privileges,
  request,
  jids,
  log,
}: {
  privileges: Pick<Privileges, "canSetRoster">;
  /** The component's `request`: an IQ set, resolving with its result. */
  request: (iq: Element) => Promise<Element>;
  jids: JidModel;
  log: Logger;
}): RosterItems {
  const hostOf = (bare: string) => bare.slice(bare.indexOf("@") + 1);

  function rosterSet(bare: string, item: Element): Promise<Element> {
    return request(xml("iq", { type: "set", to: bare }, xml("query", { xmlns: NS_ROSTER }, item)));
  }

  /** Runs every set; true when all were taken. A failure is logged, never thrown. */
  async function all(bare: string, items: Element[], what: string): Promise<boolean> {
    if (!privileges.canSetRoster(hostOf(bare))) return false;
    const results = await Promise.allSettled(items.map((item) => rosterSet(bare, item)));
    const failed = results.filter((r) => r.status === "rejected");
    if (failed.length === 0) return true;
    log.warn(
      { jid: bare, err: (failed[0] as PromiseRejectedResult).reason, failed: failed.length },
      `the server refused to ${what} roster items; falling back to subscriptions`,
    );
    return false;
  }

  const entities = (addresses: readonly string[], gateway = true): RosterItem[] => [
    ...(gateway ? [{ jid: jids.domain, name: GATEWAY_NAME }] : []),
    ...addresses.map((address) => ({ jid: jids.addressJid(address), name: address })),
  ];

  return {
    add: (bare, { addresses, gateway }) =>
      all(
        bare,
        // "both": the user sees the entities' presences and they see the user's (RFC 6121 §2.1.2.5).
        entities(addresses, gateway).map((e) =>
          xml(
            "item",
            { jid: e.jid, name: e.name, subscription: "both" },
            xml("group", {}, ROSTER_GROUP),
          ),
        ),
        "add",
      ),
    remove: (bare, addresses) =>
      all(
        bare,
        entities(addresses).map((e) => xml("item", { jid: e.jid, subscription: "remove" })),
        "remove",
      ),
  };
}
