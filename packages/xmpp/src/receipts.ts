/**
 * Message delivery receipts, XEP-0184: a client that asked (§5.1) hears that
 * the gateway got its message, and shows it as delivered instead of pending.
 * Only to registered users (§8: receipts are presence-like information) and
 * never for an error or a groupchat message (§5.3).
 */
import { type Element, xml } from "./xml.js";

export const NS_RECEIPTS = "urn:xmpp:receipts";

/** The receipt for `stanza`, if its sender asked for one. */
export function receiptFor(stanza: Element): Element | undefined {
  const { id, from, to, type } = stanza.attrs;
  if (type === "error" || type === "groupchat") return undefined;
  if (!stanza.getChild("request", NS_RECEIPTS) || !id) return undefined;
  return xml(
    "message",
    { from: to, to: from, id: `receipt-${id}` },
    xml("received", { xmlns: NS_RECEIPTS, id }),
  );
}
