/**
 * The presence stanzas our entities send (RFC 6121 §4), built in one place
 * for the statuses (presence-status.ts) and for `address new`.
 */
import { type Avatar, avatarUpdate } from "./avatar.js";
import type { JidModel } from "./jids.js";
import { type Element, xml } from "./xml.js";

/** A presence from one of our entities, its status in the catalogue's language. */
export function entityPresence(
  from: string,
  to: string,
  opts: {
    status?: string | undefined;
    lang?: string | undefined;
    type?: string;
    extra?: Element;
  } = {},
): Element {
  const { status, lang, type, extra } = opts;
  return xml(
    "presence",
    { from, to, ...(type ? { type } : {}) },
    status ? xml("status", { "xml:lang": lang }, status) : null,
    extra,
  );
}

/** An address's presence: its avatar by hash (XEP-0153 §4.1, so clients show it unasked) and, to its owner, its share. */
export function addressPresence(
  jids: JidModel,
  address: string,
  to: string,
  avatar: Avatar,
  status?: { text: string; lang: string },
): Element {
  const extra = avatarUpdate(avatar);
  return entityPresence(jids.addressJid(address), to, {
    status: status?.text,
    lang: status?.lang,
    extra,
  });
}
