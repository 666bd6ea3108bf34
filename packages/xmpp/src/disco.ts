/**
 * Service discovery, XEP-0030 (BEHAVIOUR.md §4): disco#info (§3) and
 * disco#items (§4), with nodes (§3.2, §4.2) for a user's addresses and the
 * admins' member list.
 *
 * Who sees what: the gateway and addresses are public. A user's JID is
 * described only to that user and the admins; a stranger asking by
 * username gets `forbidden` (usernames are public, others pay by them), and
 * by real JID `item-not-found` whether or not it is registered, so that a
 * real JID's registration is never revealed. Unknown nodes are
 * `item-not-found` (§3.2, §7).
 *
 * Prose (node names, error texts) follows the request's `xml:lang`, else the
 * requester's stored language where the requester is loaded anyway, else
 * the configured order (BEHAVIOUR.md §7); names that are usernames,
 * addresses or JIDs stay as they are.
 */
import type { User } from "@bitcoim/accounts";
import type { CommandNodes } from "./adhoc/discovery.js";
import { StanzaError } from "./errors.js";
import type { IqRouter } from "./iq-router.js";
import type { Entity, JidModel } from "./jids.js";
import { NS_RECEIPTS } from "./receipts.js";
import { NS_DATA, NS_REGISTER } from "./register-form.js";
import {
  type AccountsService,
  type Directory,
  type Requester,
  requester,
  userOf,
  viewerOf,
} from "./services.js";
import { type StanzaTexts, stanzaTexts } from "./stanza-texts.js";
import { type Element, xml } from "./xml.js";

export const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
export const NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
export const NODE_USERS = "users";
export const NODE_ADDRESSES = "addresses";

/** Namespaces only the gateway itself serves. */
const GATEWAY_ONLY = new Set([NS_REGISTER, "jabber:iq:gateway"]);

interface Identity {
  readonly category: string;
  readonly type: string;
  readonly name: string;
  /** The language of a name that is prose (XEP-0030 §3.1). */
  readonly "xml:lang"?: string;
}

export interface DiscoDeps {
  readonly iq: IqRouter;
  readonly accounts: Pick<
    AccountsService,
    "byJid" | "byUsername" | "byAddress" | "isAdmin" | "addresses"
  >;
  readonly directory: Directory;
  readonly jids: JidModel;
  /** The gateway's name in its identity. */
  readonly name?: string;
  /** The ad-hoc command nodes (XEP-0050 §2.2), answered before the nodes of this module. */
  readonly commands?: CommandNodes | undefined;
  /** The configured language order; English is always the last fallback. */
  readonly languages?: readonly string[] | undefined;
}

export function disco({
  iq,
  accounts,
  directory,
  jids,
  name = "bitcoIM",
  languages,
  commands,
}: DiscoDeps): void {
  /** What the router serves, asked per request so that modules registered later count too. */
  function features(gateway: boolean): string[] {
    // Receipts: every entity a user chats with answers them (XEP-0184 §4).
    const all = new Set([NS_DISCO_INFO, NS_DISCO_ITEMS, NS_RECEIPTS, ...iq.namespaces()]);
    if (gateway) all.add(NS_DATA);
    else for (const ns of GATEWAY_ONLY) all.delete(ns);
    return [...all].sort();
  }

  const info = (node: string | undefined, identity: Identity, vars: string[]) =>
    xml(
      "query",
      { xmlns: NS_DISCO_INFO, node },
      xml("identity", { ...identity }),
      ...vars.map((v) => xml("feature", { var: v })),
    );
  const items = (node: string | undefined, list: Element[]) =>
    xml("query", { xmlns: NS_DISCO_ITEMS, node }, ...list);
  const item = (jid: string, node: string | undefined, itemName: string) =>
    xml("item", { jid, node, name: itemName });
  const noNode = (t: StanzaTexts, node: string) =>
    new StanzaError("item-not-found", t.noNode(node), { lang: t.lang });
  /** The texts for a request; the requester's stored language only when they are loaded anyway. */
  const textsFor = (lang: string | undefined, who?: Requester) =>
    stanzaTexts({ stanzaLang: lang, userLang: who?.user?.language, configured: languages });

  /** The user an entity names, if this requester may see them; throws otherwise. */
  async function visibleUser(entity: Entity, who: Requester, t: StanzaTexts): Promise<User> {
    const user = await userOf(accounts, entity);
    const unknown = new StanzaError("item-not-found", t.noSuchUser, { lang: t.lang });
    if (!user) throw unknown;
    if (viewerOf(who, user) !== "stranger") return user;
    if (entity.kind === "real-jid") throw unknown;
    throw new StanzaError("forbidden", t.onlyUserAndAdmins, { lang: t.lang });
  }

  iq.get(NS_DISCO_INFO, "query", async ({ entity, element, from, to, lang }) => {
    const node = element.attrs.node;
    const own =
      node === undefined ? undefined : await commands?.info({ entity, to, from, node, lang });
    if (own) return own;
    if (entity.kind === "gateway") {
      if (node === undefined)
        return info(node, { category: "gateway", type: "bitcoin", name }, features(true));
      const t = textsFor(lang);
      if (node === NODE_USERS) {
        const identity = { category: "directory", type: "user", name: t.users, "xml:lang": t.lang };
        return info(node, identity, [NS_DISCO_INFO, NS_DISCO_ITEMS]);
      }
      throw noNode(t, node);
    }
    if (entity.kind === "address") {
      if (node !== undefined) throw noNode(textsFor(lang), node);
      const identity = { category: "hierarchy", type: "branch", name: entity.address };
      return info(node, identity, features(false));
    }
    const who = await requester(accounts, from);
    const t = textsFor(lang, who);
    const user = await visibleUser(entity, who, t);
    if (node === undefined) {
      const identity = { category: "account", type: "registered", name: user.username };
      return info(node, identity, features(false));
    }
    if (node === NODE_ADDRESSES) {
      const identity = {
        category: "hierarchy",
        type: "branch",
        name: t.addresses,
        "xml:lang": t.lang,
      };
      return info(node, identity, [NS_DISCO_INFO, NS_DISCO_ITEMS]);
    }
    throw noNode(t, node);
  });

  iq.get(NS_DISCO_ITEMS, "query", async ({ entity, element, from, to, lang }) => {
    const node = element.attrs.node;
    const own =
      node === undefined ? undefined : await commands?.items({ entity, to, from, node, lang });
    if (own) return own;
    const who = await requester(accounts, from);
    const t = textsFor(lang, who);
    if (entity.kind === "gateway") return items(node, await gatewayItems(node, who, t));
    if (entity.kind === "address") {
      if (node !== undefined) throw noNode(t, node);
      // The owner is shown to the owner and the admins only; to others the list is empty.
      const owner = await accounts.byAddress(entity.address);
      const visible = owner && (owner.id === who.user?.id || who.admin);
      return items(
        node,
        visible ? [item(jids.usernameJid(owner.username), undefined, owner.username)] : [],
      );
    }
    const user = await visibleUser(entity, who, t);
    const local = jids.usernameJid(user.username);
    if (node === undefined) {
      return items(node, [
        item(local, NODE_ADDRESSES, t.addresses),
        item(user.jid, undefined, t.realJid),
      ]);
    }
    if (node !== NODE_ADDRESSES) throw noNode(t, node);
    const addresses = await accounts.addresses(user.id);
    return items(
      node,
      addresses.map(({ address }) => item(jids.addressJid(address), undefined, address)),
    );
  });

  async function gatewayItems(
    node: string | undefined,
    who: Requester,
    t: StanzaTexts,
  ): Promise<Element[]> {
    if (node === NODE_USERS) {
      if (!who.admin) throw new StanzaError("forbidden", t.onlyAdminsList, { lang: t.lang });
      const members = await directory.members();
      return members.map((m) => item(jids.usernameJid(m.username), undefined, m.username));
    }
    if (node !== undefined) throw noNode(t, node);
    const list = who.user
      ? [item(jids.usernameJid(who.user.username), NODE_ADDRESSES, t.yourAddresses)]
      : [item(jids.domain, undefined, name)];
    if (who.admin) list.push(item(jids.domain, NODE_USERS, t.users));
    return list;
  }
}
