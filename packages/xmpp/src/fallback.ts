/**
 * What of a chat body the user actually wrote. Modern clients add text for
 * older ones: a swipe-reply quotes the message replied to (XEP-0461 §4,
 * marked as fallback by XEP-0428 §3), and a reaction (XEP-0444) may carry
 * its emoji as a body. A quote is not part of a command — `confirm k7xq`
 * sent as a reply must confirm once, not fail on the quoted lines — and a
 * reaction is never a command at all.
 */
import type { Element } from "./xml.js";

export const NS_REPLY = "urn:xmpp:reply:0";
export const NS_FALLBACK = "urn:xmpp:fallback:0";
export const NS_REACTIONS = "urn:xmpp:reactions:0";

/** The body without its fallback parts; undefined for a reaction or a body that is all fallback. */
export function writtenBody(stanza: Element, body: string): string | undefined {
  if (stanza.getChild("reactions", NS_REACTIONS)) return undefined;
  const fallbacks = stanza.getChildren("fallback", NS_FALLBACK);
  // XEP-0428 §3: a fallback without ranges covers the whole body.
  if (fallbacks.some((f) => f.getChildren("body").length === 0)) return undefined;
  // XEP-0426: offsets count Unicode code points, not UTF-16 units.
  const chars = [...body];
  const cut = new Array<boolean>(chars.length).fill(false);
  for (const f of fallbacks) {
    for (const range of f.getChildren("body")) {
      const start = Number(range.attrs.start ?? 0);
      const end = Number(range.attrs.end ?? chars.length);
      if (!Number.isInteger(start) || !Number.isInteger(end)) continue; // a client's bug: keep the text
      for (let i = Math.max(0, start); i < Math.min(end, chars.length); i++) cut[i] = true;
    }
  }
  const kept = chars.filter((_, i) => !cut[i]).join("");
  // A client that marks nothing quotes with leading "> " lines.
  const unquoted = fallbacks.length > 0 ? kept : unquote(kept);
  return unquoted.trim() === "" ? undefined : unquoted;
}

/** The text after a leading block of quoted lines (`> …`), if any follows. */
function unquote(text: string): string {
  const lines = text.split("\n");
  let first = 0;
  while (first < lines.length && /^\s*>/.test(lines[first]!)) first++;
  // All of it quoted: nothing follows to be the command, so it is taken as written.
  return first === 0 || first === lines.length ? text : lines.slice(first).join("\n");
}
