/**
 * Entity capabilities (XEP-0115): every available presence the gateway
 * sends carries a `<c/>` with the hash of its sender's disco#info, so that
 * clients learn what an address or the gateway can do — ad-hoc commands
 * among it — without asking each JID (some, such as Cheogram, only offer
 * commands to contacts whose presence advertises them). The hash is
 * computed from the same identity and features disco#info answers with
 * (disco-root.ts), and `node#ver` is answered with them (§6.2) — for a
 * user's JID to anyone, since they hold only the public username.
 */
import { createHash } from "node:crypto";
import type { DiscoNodeProvider } from "./adhoc/discovery.js";
import { type Identity, NS_DISCO_INFO, type RootInfo, type RootInfos } from "./disco-root.js";
import type { Entity, JidModel } from "./jids.js";
import type { AccountsService } from "./services.js";
import { type Element, xml } from "./xml.js";

export const NS_CAPS = "http://jabber.org/protocol/caps";
/** The software's node (XEP-0115 §4): a URI naming bitcoIM. */
export const CAPS_NODE = "https://github.com/bitcoim/bitcoim";

/** XEP-0115 §5.1: identities, then features, each sorted and ended by "<", hashed with SHA-1. */
export function capsVer(identities: readonly Identity[], features: readonly string[]): string {
  const id = (i: Identity) => `${i.category}/${i.type}/${i["xml:lang"] ?? ""}/${i.name}`;
  const parts = [...identities.map(id).sort(), ...[...features].sort()];
  return createHash("sha1")
    .update(parts.map((p) => `${p}<`).join(""), "utf8")
    .digest("base64");
}

export interface Caps extends DiscoNodeProvider {
  /** Adds `<c/>` to an available presence from one of our JIDs (a component's outgoing hook). */
  decorate(stanza: Element): Promise<void>;
}

export function entityCaps({
  roots,
  jids,
  accounts,
}: {
  roots: RootInfos;
  jids: JidModel;
  accounts: Pick<AccountsService, "byUsername">;
}): Caps {
  async function infoOf(entity: Entity): Promise<RootInfo | undefined> {
    if (entity.kind === "gateway") return roots.gateway();
    if (entity.kind === "address") return roots.address(entity.address);
    if (entity.kind !== "username") return undefined;
    const user = await accounts.byUsername(entity.username);
    return user && !user.unregisteredAt ? roots.user(user.username) : undefined;
  }
  const verOf = (info: RootInfo) => capsVer([info.identity], info.features);

  return {
    async decorate(stanza) {
      if (stanza.name !== "presence" || stanza.attrs.type !== undefined) return;
      if (stanza.getChild("c", NS_CAPS)) return;
      const from = stanza.attrs.from ?? jids.domain;
      let entity: Entity;
      try {
        entity = jids.classify(from);
      } catch {
        return; // not one of ours
      }
      const info = await infoOf(entity);
      if (!info) return;
      stanza.append(xml("c", { xmlns: NS_CAPS, hash: "sha-1", node: CAPS_NODE, ver: verOf(info) }));
    },
    async info({ entity, node }) {
      if (!node.startsWith(`${CAPS_NODE}#`)) return undefined;
      const info = await infoOf(entity);
      // An outdated hash names information we no longer have: item-not-found, from disco.
      if (!info || node !== `${CAPS_NODE}#${verOf(info)}`) return undefined;
      return xml(
        "query",
        { xmlns: NS_DISCO_INFO, node },
        xml("identity", { ...info.identity }),
        ...info.features.map((v) => xml("feature", { var: v })),
      );
    },
    items: async () => undefined,
  };
}
