/**
 * A bare Bitcoin address written to the gateway (BEHAVIOUR.md §7): the answer
 * comes from that address's JID, so the user can chat with it (and pay it).
 */
import { isAddress, type Network } from "@bitcoim/wallet";
import type { Catalogue } from "../i18n/catalogue.js";
import type { JidModel } from "../jids.js";
import type { CommandReply } from "./context.js";

/** The reply when `body` is a single valid address for the network; undefined otherwise. */
export function bareAddress(
  body: string,
  { jids, network, t }: { jids: JidModel; network: Network; t: Catalogue },
): CommandReply | undefined {
  const text = body.trim();
  if (/\s/u.test(text) || !isAddress(text, network)) return undefined;
  return { text: t.bareAddress(text, t.words.pay), from: jids.addressJid(text) };
}
