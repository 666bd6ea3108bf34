/**
 * Service discovery, XEP-0030 (docs/behaviour.md §4): disco#info (§3) and
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
 * the configured order (docs/behaviour.md §7); names that are usernames,
 * addresses or JIDs stay as they are.
 */
import type { User } from "@bitcoim/accounts";
import type { DiscoNodeProvider, NodeRequest } from "./adhoc/discovery.js";
import {
  type Identity,
  NS_DISCO_INFO,
  NS_DISCO_ITEMS,
  type RootInfo,
  type RootInfos,
} from "./disco-root.js";
import { StanzaError } from "./errors.js";
import type { IqRouter } from "./iq-router.js";
import type { Entity, JidModel } from "./jids.js";
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

export { NS_DISCO_INFO, NS_DISCO_ITEMS } from "./disco-root.js";
export const NODE_USERS = "users";
export const NODE_ADDRESSES = "addresses";

export interface DiscoDeps {
  readonly iq: IqRouter;
  readonly accounts: Pick<
    AccountsService,
    "byJid" | "byUsername" | "byAddress" | "isAdmin" | "addresses"
  >;
  readonly directory: Directory;
  readonly jids: JidModel;
  /** What each entity says without a node (disco-root.ts). */
  readonly roots: RootInfos;
  /** Nodes of other modules — ad-hoc commands (XEP-0050 §2.2), caps (XEP-0115 §6.2) — asked first. */
  readonly nodes?: readonly DiscoNodeProvider[];
  /** The configured language order; English is always the last fallback. */
  readonly languages?: readonly string[] | undefined;
}

export function disco({
  iq,
  accounts,
  directory,
  jids,
  languages,
  roots,
  nodes = [],
}: DiscoDeps): void {
  const info = (node: string | undefined, identity: Identity, vars: readonly string[]) =>
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

  async function fromProviders(
    kind: "info" | "items",
    req: NodeRequest,
  ): Promise<Element | undefined> {
    for (const provider of nodes) {
      const answer = await provider[kind](req);
      if (answer) return answer;
    }
    return undefined;
  }

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
      node === undefined
        ? undefined
        : await fromProviders("info", { entity, to, from, node, lang });
    if (own) return own;
    const root = ({ identity, features }: RootInfo) => info(undefined, identity, features);
    if (entity.kind === "gateway") {
      if (node === undefined) return root(roots.gateway());
      const t = textsFor(lang);
      if (node === NODE_USERS) {
        const identity = { category: "directory", type: "user", name: t.users, "xml:lang": t.lang };
        return info(node, identity, [NS_DISCO_INFO, NS_DISCO_ITEMS]);
      }
      throw noNode(t, node);
    }
    if (entity.kind === "address") {
      if (node !== undefined) throw noNode(textsFor(lang), node);
      return root(roots.address(entity.address));
    }
    const who = await requester(accounts, from);
    const t = textsFor(lang, who);
    const user = await visibleUser(entity, who, t);
    if (node === undefined) return root(roots.user(user.username));
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
      node === undefined
        ? undefined
        : await fromProviders("items", { entity, to, from, node, lang });
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
      : [item(jids.domain, undefined, roots.gateway().identity.name)];
    if (who.admin) list.push(item(jids.domain, NODE_USERS, t.users));
    return list;
  }
}
