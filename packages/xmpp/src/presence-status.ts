/**
 * What each of our entities shows a given user (docs/behaviour.md §6): the
 * gateway its balance; an address its share of what its owner received, to
 * the owner only, and its avatar hash to everyone (XEP-0153); a user JID its balance, to that user or an admin only.
 */
import type { Balance, User } from "@bitcoim/accounts";
import { type Avatar, addressAvatar } from "./avatar.js";
import { avatarEvent } from "./avatar-pep.js";
import type { Catalogue } from "./i18n/catalogue.js";
import { chooseLanguage, formatBtc } from "./i18n/language.js";
import type { Entity, JidModel } from "./jids.js";
import { addressPresence, entityPresence } from "./presence-stanza.js";
import type { PresenceStore } from "./presence-store.js";
import type { AccountsService } from "./services.js";
import type { Element } from "./xml.js";

export interface StatusDeps {
  readonly accounts: AccountsService;
  readonly jids: JidModel;
  readonly store: PresenceStore;
  readonly languages?: readonly string[] | undefined;
  /** Whether the Bitcoin node answers; when it does not, the gateway's status says so. */
  readonly bitcoinAvailable?: () => boolean;
}

export function createStatuses({
  accounts,
  jids,
  store,
  languages,
  bitcoinAvailable = () => true,
}: StatusDeps) {
  const language = (viewer: User, stanzaLang?: string) =>
    chooseLanguage({ stanzaLang, userLang: viewer.language, configured: languages });

  const presence = (from: string, to: string, t: Catalogue, status?: string, type?: string) =>
    entityPresence(from, to, { status, lang: t.lang, ...(type ? { type } : {}) });

  async function gatewayStatus(viewer: User, t: Catalogue, known?: Balance): Promise<string> {
    const b = known ?? (await accounts.balance(viewer.id));
    const status = t.gatewayStatus({
      username: viewer.username,
      balance: formatBtc(t, b.confirmed),
      ...(b.pending > 0n ? { pending: formatBtc(t, b.pending) } : {}),
    });
    return bitcoinAvailable() ? status : `${status} — ${t.bitcoinUnavailable}`;
  }

  /** Each of the owner's addresses' share of what they received, read once for all of them. */
  async function shares(owner: User, t: Catalogue): Promise<(address: string) => string> {
    const mine = await accounts.addresses(owner.id);
    const received = await store.received(mine.map((a) => a.address));
    const total = [...received.values()].reduce((sum, v) => sum + v, 0n);
    const percent = new Intl.NumberFormat(t.locale, { style: "percent", maximumFractionDigits: 2 });
    return (address) => {
      const here = received.get(address) ?? 0n;
      // Basis points in bigint, so that no amount goes through a float.
      const basisPoints = total === 0n ? 0n : (here * 10_000n) / total;
      return t.addressStatus({ share: percent.format(Number(basisPoints) / 10_000) });
    };
  }

  const eventsFor = (addresses: readonly string[], avatars: readonly Avatar[], to: string) =>
    addresses.map((a, i) => avatarEvent(jids, a, to, avatars[i]!));

  return {
    language,
    /** The gateway's presence to a registered user; `known`: their balance, if just read. */
    async gateway(
      viewer: User,
      to: string,
      stanzaLang?: string,
      known?: Balance,
    ): Promise<Element> {
      const t = language(viewer, stanzaLang);
      return presence(jids.domain, to, t, await gatewayStatus(viewer, t, known));
    },

    async address(viewer: User, address: string, to: string, stanzaLang?: string) {
      const t = language(viewer, stanzaLang);
      const owner = await accounts.ownerOfAddress(address);
      const status = owner?.userId === viewer.id ? (await shares(viewer, t))(address) : undefined;
      const avatar = await addressAvatar(address);
      return addressPresence(
        jids,
        address,
        to,
        avatar,
        status ? { text: status, lang: t.lang } : undefined,
      );
    },

    async user(viewer: User, target: User, from: string, to: string, stanzaLang?: string) {
      const t = language(viewer, stanzaLang);
      if (target.id !== viewer.id && !accounts.isAdmin(viewer.jid)) return presence(from, to, t);
      const b = await accounts.balance(target.id);
      const status = t.userStatus({
        username: target.username,
        balance: formatBtc(t, b.confirmed),
      });
      return presence(from, to, t, status);
    },

    /** Each of the user's addresses' avatar event (XEP-0084), for one resource. */
    async avatarEvents(viewer: User, to: string): Promise<Element[]> {
      const addresses = (await accounts.addresses(viewer.id)).map((a) => a.address);
      return eventsFor(addresses, await Promise.all(addresses.map(addressAvatar)), to);
    },

    /**
     * The gateway's and each of the user's addresses' presences (or
     * `unavailable`s); with `eventsTo`, each address's avatar event
     * (XEP-0084) for that resource too, from the same reading.
     */
    async all(
      viewer: User,
      to: string,
      unavailable?: string,
      eventsTo?: string,
    ): Promise<Element[]> {
      const t = language(viewer);
      const addresses = (await accounts.addresses(viewer.id)).map((a) => a.address);
      if (unavailable !== undefined) {
        return [jids.domain, ...addresses.map((a) => jids.addressJid(a))].map((from) =>
          presence(from, to, t, unavailable || undefined, "unavailable"),
        );
      }
      const [gateway, share, avatars] = await Promise.all([
        this.gateway(viewer, to),
        shares(viewer, t),
        Promise.all(addresses.map(addressAvatar)),
      ]);
      const shown = addresses.map((a, i) =>
        addressPresence(jids, a, to, avatars[i]!, { text: share(a), lang: t.lang }),
      );
      const events = eventsTo === undefined ? [] : eventsFor(addresses, avatars, eventsTo);
      return [gateway, ...shown, ...events];
    },
  };
}

export type Statuses = ReturnType<typeof createStatuses>;

/** The entity's own JID as it appears in presence `from`. */
export function entityJid(entity: Entity, jids: JidModel): string {
  switch (entity.kind) {
    case "gateway":
      return jids.domain;
    case "address":
      return jids.addressJid(entity.address);
    default:
      return `${entity.node}@${jids.domain}`;
  }
}
