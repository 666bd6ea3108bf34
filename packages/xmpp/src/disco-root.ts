/**
 * What each entity says about itself in disco#info without a node
 * (XEP-0030 §3.1): one identity and the features the router serves. One
 * source for disco.ts's answer and for the entity capabilities that
 * presences carry (caps.ts), so that the two cannot drift apart.
 */

import { NS_PUBSUB } from "./avatar-pep.js";
import type { IqRouter } from "./iq-router.js";
import { NS_RECEIPTS } from "./receipts.js";
import { NS_DATA, NS_REGISTER } from "./register-form.js";

export const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
export const NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items";

type Kind = "gateway" | "address" | "user";

/** Namespaces only one kind of entity serves: registration the gateway, avatars (XEP-0084) addresses. */
const ONLY: Record<string, Kind> = {
  [NS_REGISTER]: "gateway",
  "jabber:iq:gateway": "gateway",
  [NS_PUBSUB]: "address",
};

export interface Identity {
  readonly category: string;
  readonly type: string;
  readonly name: string;
  /** The language of a name that is prose (XEP-0030 §3.1). */
  readonly "xml:lang"?: string;
}

export interface RootInfo {
  readonly identity: Identity;
  /** Sorted. */
  readonly features: readonly string[];
}

export interface RootInfos {
  gateway(): RootInfo;
  address(address: string): RootInfo;
  user(username: string): RootInfo;
}

export function rootInfos({ iq, name = "bitcoIM" }: { iq: IqRouter; name?: string }): RootInfos {
  /** What the router serves, asked each time so that modules registered later count too. */
  function features(kind: Kind): string[] {
    // Receipts: every entity a user chats with answers them (XEP-0184 §4).
    const all = new Set([NS_DISCO_INFO, NS_DISCO_ITEMS, NS_RECEIPTS, ...iq.namespaces()]);
    if (kind === "gateway") all.add(NS_DATA);
    for (const [ns, only] of Object.entries(ONLY)) if (only !== kind) all.delete(ns);
    return [...all].sort();
  }
  return {
    gateway: () => ({
      identity: { category: "gateway", type: "bitcoin", name },
      features: features("gateway"),
    }),
    address: (address) => ({
      identity: { category: "hierarchy", type: "branch", name: address },
      features: features("address"),
    }),
    user: (username) => ({
      identity: { category: "account", type: "registered", name: username },
      features: features("user"),
    }),
  };
}
