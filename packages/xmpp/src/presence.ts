/**
 * Presence (docs/behaviour.md §6, RFC 6121 §3–4). Subscriptions to the
 * gateway are accepted from anyone, to an address or a user JID from
 * registered users (others get registration-required), each followed by the
 * entity's presence; probes get the presence. A user's first available
 * resource brings the gateway's and their addresses' presences, and each
 * address's avatar metadata (XEP-0084, avatar-pep.ts), their last one leaving
 * brings `unavailable`s; so does a subscription to an address. Unregistered
 * users get no presence, and `unavailable` and error presences are never
 * answered.
 */
import type { Balance, User } from "@bitcoim/accounts";
import { createAnnouncer } from "./announce.js";
import { addressAvatar } from "./avatar.js";
import { avatarEvent } from "./avatar-pep.js";
import { bareJid } from "./chat.js";
import type { StanzaContext, StanzaHandler } from "./dispatch.js";
import { StanzaError } from "./errors.js";
import { chooseLanguage } from "./i18n/language.js";
import { splitJid } from "./jids.js";
import type { Logger } from "./log.js";
import type { Peers } from "./peers.js";
import { createStatuses, entityJid, type StatusDeps } from "./presence-status.js";
import type { PresenceStore } from "./presence-store.js";
import type { Directory } from "./services.js";
import { stanzaTexts } from "./stanza-texts.js";
import { type Element, xml } from "./xml.js";

export interface PresenceOptions extends StatusDeps {
  readonly store: PresenceStore;
  readonly directory: Directory;
  /** The component's `send` (for announce, goodbye and refreshes). */
  readonly send: (stanza: Element) => Promise<void>;
  readonly log: Logger;
  /** Other gateway processes on this domain (default: none). */
  readonly peers?: Peers;
  /** Start-up pacing: users per batch, and the pause between batches (default 20 and 1 s). */
  readonly announceBatch?: number;
  readonly announcePauseMs?: number;
}

export function createPresence(options: PresenceOptions) {
  const { accounts, jids, store, send } = options;
  const statuses = createStatuses(options);
  const announcer = createAnnouncer({ ...options, domain: jids.domain, statuses });

  /** The presence `to` shows to `viewer`; throws item-not-found for a user JID naming no one. */
  async function presenceOf(ctx: StanzaContext, viewer: User, to: string): Promise<Element> {
    const { entity } = ctx;
    if (entity.kind === "gateway") return statuses.gateway(viewer, to, ctx.lang);
    if (entity.kind === "address") return statuses.address(viewer, entity.address, to, ctx.lang);
    const target =
      entity.kind === "username"
        ? await accounts.byUsername(entity.username)
        : accounts.isAdmin(viewer.jid)
          ? await accounts.byJid(entity.jid)
          : undefined;
    if (!target || target.unregisteredAt) {
      const { languages } = options;
      const t = stanzaTexts({
        stanzaLang: ctx.lang,
        userLang: viewer.language,
        configured: languages,
      });
      throw new StanzaError("item-not-found", t.noSuchUser, { lang: t.lang });
    }
    return statuses.user(viewer, target, entityJid(entity, jids), to, ctx.lang);
  }

  const reply = (ctx: StanzaContext, type: string) =>
    xml("presence", { from: entityJid(ctx.entity, jids), to: bareJid(ctx.from), type });

  const handler: StanzaHandler = async (ctx) => {
    const type = ctx.stanza.attrs.type;
    if (type === "error" || type === "subscribed" || type === "unsubscribed") return undefined;
    if (type === "unsubscribe") return [reply(ctx, "unsubscribed")];
    const bare = bareJid(ctx.from);
    const user = await accounts.byJid(bare);
    if (!user) {
      if ((type === "subscribe" || type === "probe") && ctx.entity.kind !== "gateway") {
        const t = chooseLanguage({ stanzaLang: ctx.lang, configured: options.languages });
        throw new StanzaError("registration-required", t.registerFirst, { lang: t.lang });
      }
      return type === "subscribe" ? [reply(ctx, "subscribed")] : undefined;
    }
    switch (type) {
      case "subscribe": {
        const shown = await presenceOf(ctx, user, bare);
        const { entity } = ctx;
        const avatar =
          entity.kind === "address"
            ? [avatarEvent(jids, entity.address, bare, await addressAvatar(entity.address))]
            : [];
        return [reply(ctx, "subscribed"), shown, ...avatar];
      }
      case "probe":
        return [await presenceOf(ctx, user, ctx.from)];
      case "unavailable": {
        const last = await store.leave(bare, splitJid(ctx.from).resource);
        return last ? statuses.all(user, bare, "") : undefined;
      }
      case undefined: {
        const resource = splitJid(ctx.from).resource;
        if (!resource) return undefined; // a presence from a bare JID names no resource
        const arrival = await store.arrive(bare, resource);
        if (arrival === "first") return statuses.all(user, bare, undefined, ctx.from);
        // Another device (a phone after the laptop): the presences reach it
        // through its server's probes, but the avatar events are ours to send.
        if (arrival === "another") return statuses.avatarEvents(user, ctx.from);
        return undefined;
      }
      default:
        return undefined;
    }
  };

  return {
    handler,
    statuses,

    /** Resends the gateway's presence to every user online (e.g. the Bitcoin node went or came back). */
    async refreshAll(): Promise<void> {
      for (const jid of await store.online()) {
        const user = await accounts.byJid(jid);
        if (user) await send(await statuses.gateway(user, jid)).catch(() => {});
      }
    },

    /**
     * Resends the gateway's presence (new balance) to a user who is online;
     * `known`: what the caller has just read of them, not to read it again.
     */
    async refresh(
      who: number | User,
      known: { balance?: Balance; online?: boolean } = {},
    ): Promise<void> {
      const user = typeof who === "number" ? await accounts.byId(who) : who;
      if (!user || user.unregisteredAt) return;
      if (!(known.online ?? (await store.isOnline(user.jid)))) return;
      await send(await statuses.gateway(user, user.jid, undefined, known.balance));
    },

    /** Start-up and reconnection announcement, shutdown goodbye (announce.ts). */
    announce: announcer.announce,
    goodbye: announcer.goodbye,
  };
}

export type Presence = ReturnType<typeof createPresence>;
