/**
 * `address` / `address new` (docs/behaviour.md §7), at the gateway only: the
 * user's deposit addresses with their `bitcoin:` URIs (BIP21); `new` makes
 * another and puts it in the roster: as an item where the server lets the
 * gateway (XEP-0356, roster-items.ts), followed by its presence; else with
 * a subscription request from its JID carrying the address as nick
 * (RFC 6121 §3.1, XEP-0172).
 */
import { buildBip21 } from "@bitcoim/wallet";
import { addressAvatar } from "../avatar.js";
import { avatarEvent } from "../avatar-pep.js";
import { addressPresence } from "../presence-stanza.js";
import { addressSubscribe } from "../registration.js";
import { ChatError, type Command } from "./context.js";
import { isWord } from "./parse.js";

export const address: Command = async ({ deps, user, target, args, t }) => {
  if (target.kind !== "gateway") throw new ChatError(t.notHere(t.words.address));
  if (args[0] !== undefined && isWord(args[0], t, (c) => c.newWord)) {
    const created = await deps.accounts.newAddress(user.id);
    const uri = buildBip21({ address: created.address });
    const text = t.addressCreated({ address: created.address, uri });
    if (await deps.roster?.add(user.jid, { addresses: [created.address], gateway: false })) {
      const avatar = await addressAvatar(created.address);
      const shown = addressPresence(deps.jids, created.address, user.jid, avatar);
      return { text, after: [shown, avatarEvent(deps.jids, created.address, user.jid, avatar)] };
    }
    const subscribe = addressSubscribe(deps.jids, created.address, user.jid, t.newAddressGreeting);
    return { text, after: [subscribe] };
  }
  const list = await deps.accounts.addresses(user.id);
  return {
    text: t.addresses(
      list.map((a) => ({ address: a.address, uri: buildBip21({ address: a.address }) })),
      `${t.words.address} ${t.newWord}`,
    ),
  };
};
