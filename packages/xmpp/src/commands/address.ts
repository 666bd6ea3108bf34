/**
 * `address` / `address new` (BEHAVIOUR.md §7, new), at the gateway only: the
 * user's deposit addresses with their `bitcoin:` URIs (BIP21); `new` makes
 * another and asks to add it to the roster with a subscription request from
 * its JID carrying the address as nick (RFC 6121 §3.1, XEP-0172).
 */
import { buildBip21 } from "@bitcoim/wallet";
import { xml } from "../xml.js";
import { ChatError, type Command } from "./context.js";
import { isWord } from "./parse.js";

export const NS_NICK = "http://jabber.org/protocol/nick";

export const address: Command = async ({ deps, user, target, args, t }) => {
  if (target.kind !== "gateway") throw new ChatError(t.notHere(t.words.address));
  if (args[0] !== undefined && isWord(args[0], t, (c) => c.newWord)) {
    const created = await deps.accounts.newAddress(user.id);
    const uri = buildBip21({ address: created.address });
    const subscribe = xml(
      "presence",
      { from: deps.jids.addressJid(created.address), to: user.jid, type: "subscribe" },
      xml("nick", { xmlns: NS_NICK }, created.address),
      xml("status", {}, t.newAddressGreeting),
    );
    return { text: t.addressCreated({ address: created.address, uri }), after: [subscribe] };
  }
  const list = await deps.accounts.addresses(user.id);
  return {
    text: t.addresses(
      list.map((a) => ({ address: a.address, uri: buildBip21({ address: a.address }) })),
      `${t.words.address} ${t.newWord}`,
    ),
  };
};
