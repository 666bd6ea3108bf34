/**
 * XEP-0199 (XMPP Ping) §4: an IQ get with `<ping xmlns='urn:xmpp:ping'/>`
 * is answered with an empty IQ result, by every entity on our domain.
 */
import type { IqRouter } from "./iq-router.js";

export const NS_PING = "urn:xmpp:ping";

export function ping({ iq }: { iq: IqRouter }): void {
  iq.get(NS_PING, "ping", () => undefined);
}
