/**
 * XEP-0100 §6.3 (contact addressing, `jabber:iq:gateway`; BEHAVIOUR.md §3):
 * a client asks how to name a contact, the user enters a Bitcoin address or
 * a username, and the gateway answers with the JID to add to the roster.
 */
import { AddressError, type Network, validateAddress } from "@bitcoim/wallet";
import { StanzaError } from "./errors.js";
import type { IqContext, IqRouter } from "./iq-router.js";
import type { JidModel } from "./jids.js";
import type { AccountsService } from "./services.js";
import { xml } from "./xml.js";

export const NS_GATEWAY = "jabber:iq:gateway";

export function gatewayIq({
  iq,
  accounts,
  jids,
  network,
}: {
  iq: IqRouter;
  accounts: Pick<AccountsService, "byUsername">;
  jids: JidModel;
  network: Network;
}): void {
  const gatewayOnly = (ctx: IqContext) => {
    if (ctx.entity.kind !== "gateway") {
      throw new StanzaError("service-unavailable", "Ask the gateway itself");
    }
  };

  iq.get(NS_GATEWAY, "query", (ctx) => {
    gatewayOnly(ctx);
    return xml(
      "query",
      { xmlns: NS_GATEWAY },
      xml("desc", {}, "Enter a Bitcoin address or the username of a bitcoIM user."),
      xml("prompt", {}, "Bitcoin address or username"),
    );
  });

  iq.set(NS_GATEWAY, "query", async (ctx) => {
    gatewayOnly(ctx);
    const entered = ctx.element.getChildText("prompt")?.trim() ?? "";
    if (!entered) throw new StanzaError("bad-request", "Enter a Bitcoin address or a username.");
    const jid = await resolve(entered);
    if (!jid) {
      throw new StanzaError(
        "item-not-found",
        `"${entered}" is neither a Bitcoin address nor the username of a bitcoIM user.`,
      );
    }
    return xml("query", { xmlns: NS_GATEWAY }, xml("jid", {}, jid));
  });

  async function resolve(entered: string): Promise<string | undefined> {
    try {
      return jids.addressJid(validateAddress(entered, network).address);
    } catch (error) {
      if (!(error instanceof AddressError)) throw error;
      // An address, but not one we can pay (another network, an unknown kind): say so.
      if (error.code !== "ADDRESS_INVALID") {
        throw new StanzaError("item-not-found", error.message, { cause: error });
      }
    }
    const user = await accounts.byUsername(entered);
    return user && !user.unregisteredAt ? jids.usernameJid(user.username) : undefined;
  }
}
