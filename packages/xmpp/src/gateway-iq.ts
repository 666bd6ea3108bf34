/**
 * XEP-0100 §6.3 (contact addressing, `jabber:iq:gateway`;
 * docs/behaviour.md §3): a client asks how to name a contact, the user
 * enters a Bitcoin address or a username, and the gateway answers with the
 * JID to add to the roster.
 * The texts follow the request's `xml:lang`, else the requester's stored
 * language, else the configured order (docs/behaviour.md §7).
 */
import { AddressError, type Network, validateAddress } from "@bitcoim/wallet";
import { StanzaError } from "./errors.js";
import { type GatewayTexts, gatewayTexts } from "./gateway-texts.js";
import type { IqContext, IqRouter } from "./iq-router.js";
import type { JidModel } from "./jids.js";
import { type AccountsService, storedLanguage } from "./services.js";
import { xml } from "./xml.js";

export const NS_GATEWAY = "jabber:iq:gateway";

export function gatewayIq({
  iq,
  accounts,
  jids,
  network,
  languages,
}: {
  iq: IqRouter;
  accounts: Pick<AccountsService, "byUsername" | "byJid">;
  jids: JidModel;
  network: Network;
  /** The configured language order; English is always the last fallback. */
  languages?: readonly string[] | undefined;
}): void {
  /** The texts for this request; throws service-unavailable unless it is to the gateway. */
  async function textsFor(ctx: IqContext): Promise<GatewayTexts> {
    const userLang = await storedLanguage(accounts, ctx.from, ctx.lang);
    const t = gatewayTexts({ stanzaLang: ctx.lang, userLang, configured: languages });
    if (ctx.entity.kind !== "gateway") {
      throw new StanzaError("service-unavailable", t.onlyGateway, { lang: t.lang });
    }
    return t;
  }

  iq.get(NS_GATEWAY, "query", async (ctx) => {
    const t = await textsFor(ctx);
    return xml(
      "query",
      { xmlns: NS_GATEWAY },
      xml("desc", {}, t.description),
      xml("prompt", {}, t.prompt),
    );
  });

  iq.set(NS_GATEWAY, "query", async (ctx) => {
    const t = await textsFor(ctx);
    const entered = ctx.element.getChildText("prompt")?.trim() ?? "";
    // docs/behaviour.md §3: anything but an address or a username, nothing included.
    if (!entered) throw new StanzaError("item-not-found", t.empty, { lang: t.lang });
    const jid = await resolve(t, entered);
    if (!jid) throw new StanzaError("item-not-found", t.notFound(entered), { lang: t.lang });
    return xml("query", { xmlns: NS_GATEWAY }, xml("jid", {}, jid));
  });

  async function resolve(t: GatewayTexts, entered: string): Promise<string | undefined> {
    try {
      return jids.addressJid(validateAddress(entered, network).address);
    } catch (error) {
      if (!(error instanceof AddressError)) throw error;
      // An address, but not one we can pay (another network, an unknown kind): say so.
      if (error.code !== "ADDRESS_INVALID") {
        const text =
          error.code === "ADDRESS_WRONG_NETWORK"
            ? t.wrongNetwork(entered, error.networks, network)
            : t.unsupported(entered);
        throw new StanzaError("item-not-found", text, { lang: t.lang, cause: error });
      }
    }
    const user = await accounts.byUsername(entered);
    return user && !user.unregisteredAt ? jids.usernameJid(user.username) : undefined;
  }
}
