/**
 * vCards, XEP-0054 §3.3 (viewing another entity's vCard;
 * docs/behaviour.md §5). Every entity on the domain has one; none can be
 * set (the router answers a `set` with feature-not-implemented).
 *
 * - the gateway: FN with its version, and DESC;
 * - an address: FN = the address, URL = a block-explorer link when a
 *   template is configured, else its BIP21 `bitcoin:` URI, PHOTO = the PNG
 *   QR code of that URI;
 * - a user: NICKNAME = username, to anyone (usernames are public); FN = the
 *   real JID, only to that user and the admins. A user named by real JID is
 *   shown only to them and the admins (item-not-found to others, as in disco).
 *
 * The prose (the gateway's DESC, the not-found text) follows the request's
 * `xml:lang`, else the requester's stored language, else the configured
 * order (docs/behaviour.md §7).
 */
import { addressAvatar, addressUri } from "./avatar.js";
import { StanzaError } from "./errors.js";
import type { IqRouter } from "./iq-router.js";
import { packageVersion } from "./package-info.js";
import {
  type AccountsService,
  explorerLink,
  type GatewayConfig,
  requester,
  storedLanguage,
  userOf,
  viewerOf,
} from "./services.js";
import { vcardTexts } from "./vcard-texts.js";
import { type Element, type XmlChild, xml } from "./xml.js";

export const NS_VCARD = "vcard-temp";

export function vcard({
  iq,
  accounts,
  config,
  name = "bitcoIM",
  version = packageVersion,
}: {
  iq: IqRouter;
  accounts: Pick<AccountsService, "byJid" | "byUsername" | "isAdmin">;
  config: GatewayConfig;
  name?: string;
  version?: string;
}): void {
  const card = (...children: XmlChild[]): Element => xml("vCard", { xmlns: NS_VCARD }, ...children);
  const text = (field: string, value: string) => xml(field, {}, value);

  const textsFor = (stanzaLang: string | undefined, userLang: string | null | undefined) =>
    vcardTexts({ stanzaLang, userLang, configured: config.languages });

  iq.get(NS_VCARD, "vCard", async ({ entity, from, lang }) => {
    if (entity.kind === "gateway") {
      const t = textsFor(lang, await storedLanguage(accounts, from, lang));
      return card(text("FN", `${name} ${version}`), text("DESC", t.gatewayDescription));
    }
    if (entity.kind === "address") {
      const photo = await addressAvatar(entity.address);
      // Without an explorer (regtest, or links turned off) the URL still pays: the BIP21 URI.
      const url = explorerLink(config, entity.address) ?? addressUri(entity.address);
      return card(
        text("FN", entity.address),
        text("URL", url),
        xml("PHOTO", {}, text("TYPE", photo.type), text("BINVAL", photo.data.toString("base64"))),
      );
    }
    // The requester is needed to decide what they may see; it also gives their language.
    const [user, who] = await Promise.all([userOf(accounts, entity), requester(accounts, from)]);
    const t = textsFor(lang, who.user?.language);
    const unknown = new StanzaError("item-not-found", t.noSuchUser, { lang: t.lang });
    if (!user) throw unknown;
    const viewer = viewerOf(who, user);
    if (viewer === "stranger" && entity.kind === "real-jid") throw unknown;
    return card(text("NICKNAME", user.username), viewer !== "stranger" && text("FN", user.jid));
  });
}
