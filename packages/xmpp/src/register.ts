/**
 * In-band registration, XEP-0077 (BEHAVIOUR.md §2), with a gateway's flows
 * from XEP-0100 §4.1 (register), §4.2 (edit registration), §4.3 (unregister).
 *
 * - get (XEP-0077 §3.1): instructions and the username field, plus the same
 *   as an XEP-0004 form (XEP-0077 §6); a registered requester also gets
 *   `<registered/>` and their current username (XEP-0100 §4.2.1).
 * - set with a username: registers the bare JID, or renames it if it is
 *   registered already, and stores the language the form names (a new
 *   registration without one stores the stream's). Refusals are
 *   `not-acceptable` with a text saying why (XEP-0100 §4.1.2, §4.2.2).
 * - set with `<remove/>` (XEP-0077 §3.2): unregisters, a result even for an
 *   unknown JID, then the gateway's unsubscribe, unsubscribed and
 *   unavailable (XEP-0100 §4.3.1). Money is never orphaned: while the
 *   account holds any, removal is refused with a text saying so.
 * On a new registration the result goes first, then a `subscribe` from the
 * deposit address (its address as XEP-0172 §4.1 nick, and a greeting) and
 * one from the gateway (XEP-0100 §4.1.1). Texts follow BEHAVIOUR.md §7:
 * the request's `xml:lang`, the user's language, the configured order.
 */
import { AccountsError, type AccountsErrorCode } from "@bitcoim/accounts";
import { StanzaError } from "./errors.js";
import type { IqContext, IqRouter } from "./iq-router.js";
import type { JidModel } from "./jids.js";
import type { Logger } from "./log.js";
import { NS_REGISTER, readRegistration, registrationQuery } from "./register-form.js";
import { type RegistrationTexts, registrationTexts } from "./register-texts.js";
import { type AccountsService, bareJidOf } from "./services.js";
import { type Element, xml } from "./xml.js";

export { NS_REGISTER } from "./register-form.js";
export { refusalText } from "./register-texts.js";
export const NS_NICK = "http://jabber.org/protocol/nick";

/** A BCP 47 language tag, loosely: a primary subtag and optional others. */
const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i;

export interface RegisterDeps {
  readonly iq: IqRouter;
  readonly accounts: Pick<
    AccountsService,
    "register" | "rename" | "setLanguage" | "unregister" | "byJid" | "addresses"
  >;
  readonly jids: JidModel;
  readonly log: Logger;
  /** Sends stanzas once the IQ's reply has gone out. */
  readonly sendAfterReply: (stanzas: readonly Element[]) => void;
  /** The configured language order; English is always the last fallback. */
  readonly languages?: readonly string[] | undefined;
}

export function register(deps: RegisterDeps): void {
  const { iq, accounts, jids, log, sendAfterReply, languages } = deps;
  const textsFor = (ctx: IqContext, userLang?: string | null) =>
    registrationTexts({ stanzaLang: ctx.lang, userLang, configured: languages });
  const gatewayOnly = (ctx: IqContext) => {
    if (ctx.entity.kind !== "gateway") {
      const t = textsFor(ctx);
      throw new StanzaError("service-unavailable", t.onlyGateway, { lang: t.lang });
    }
  };

  iq.get(NS_REGISTER, "query", async (ctx) => {
    gatewayOnly(ctx);
    const user = await accounts.byJid(bareJidOf(ctx.from));
    const t = textsFor(ctx, user?.language);
    return registrationQuery({
      instructions: t.instructions,
      title: t.title,
      label: t.usernameLabel,
      languageLabel: t.languageLabel,
      username: user?.username,
      language: user?.language,
    });
  });

  iq.set(NS_REGISTER, "query", async (ctx) => {
    gatewayOnly(ctx);
    const bare = bareJidOf(ctx.from);
    const request = readRegistration(ctx.element);
    if (request.kind === "remove") return remove(ctx, bare);
    const current = await accounts.byJid(bare);
    const formLanguage = request.kind === "username" ? request.language : undefined;
    const t = textsFor(ctx, formLanguage ?? current?.language);
    const { lang } = t;
    if (request.kind === "bad-form")
      throw new StanzaError("bad-request", t.notSubmitted(request.why), { lang });
    if (request.kind === "missing") throw new StanzaError("not-acceptable", t.missing, { lang });
    if (!bare.includes(".")) {
      log.warn({ jid: bare }, "suspicious registration attempt from a JID without a dot");
      throw refused(t, "JID_WITHOUT_DOT", request.username);
    }
    const language = chosenLanguage(t, request.language, ctx.lang);
    try {
      if (current) {
        await accounts.rename(bare, request.username);
        // XEP-0100 §4.2 (edit registration): only a language the form names
        // replaces the stored one; the stream's is the client's default.
        if (request.language !== undefined && language) await accounts.setLanguage(bare, language);
        return undefined;
      }
      const { addresses } = await accounts.register(bare, request.username, {
        ...(language ? { language } : {}),
      });
      // Sent unasked, after the reply: in the language just stored, not the request's.
      const welcome = registrationTexts({ userLang: language, configured: languages });
      // One fresh address for a newcomer; all of them for a returning account.
      sendAfterReply([
        ...addresses.map(({ address }) => addressSubscribe(address, bare, welcome)),
        xml("presence", { type: "subscribe", from: jids.domain, to: bare }),
      ]);
      log.info({ jid: bare }, "user registered");
      return undefined;
    } catch (error) {
      if (error instanceof AccountsError) throw refused(t, error.code, request.username, error);
      throw error;
    }
  });

  async function remove(ctx: IqContext, bare: string): Promise<undefined> {
    const user = await accounts.byJid(bare);
    const t = textsFor(ctx, user?.language);
    const addresses = user ? await accounts.addresses(user.id) : [];
    try {
      await accounts.unregister(bare);
    } catch (error) {
      if (error instanceof AccountsError) throw refused(t, error.code, "", error);
      throw error;
    }
    // The gateway first (XEP-0100 §4.3.1), then its addresses, which the
    // client should drop from the roster too (ibid., step 7).
    const goodbye = t.goodbye;
    const from = [jids.domain, ...addresses.map(({ address }) => jids.addressJid(address))];
    sendAfterReply(
      from.flatMap((jid) => [
        xml("presence", { type: "unsubscribe", from: jid, to: bare }),
        xml("presence", { type: "unsubscribed", from: jid, to: bare }),
        xml("presence", { type: "unavailable", from: jid, to: bare }, xml("status", {}, goodbye)),
      ]),
    );
    return undefined;
  }

  /** XEP-0172 §4.1: a subscription request may carry the requester's nick. */
  function addressSubscribe(address: string, to: string, t: RegistrationTexts): Element {
    return xml(
      "presence",
      { type: "subscribe", from: jids.addressJid(address), to },
      xml("nick", { xmlns: NS_NICK }, address),
      xml("status", {}, t.welcome(address)),
    );
  }
}

/**
 * The language to store: the form's (refused if it is no language tag),
 * else the one the client's stream declared, if it looks like one.
 */
function chosenLanguage(
  t: RegistrationTexts,
  chosen: string | undefined,
  stream: string | undefined,
): string | undefined {
  if (chosen !== undefined) {
    if (!LANGUAGE_TAG.test(chosen)) {
      throw new StanzaError("not-acceptable", t.badLanguage(chosen), { lang: t.lang });
    }
    return chosen.toLowerCase();
  }
  return stream && LANGUAGE_TAG.test(stream) ? stream.toLowerCase() : undefined;
}

function refused(
  t: RegistrationTexts,
  code: AccountsErrorCode,
  username: string,
  cause?: unknown,
): StanzaError {
  return new StanzaError("not-acceptable", t.refusal(code, username.trim()), {
    lang: t.lang,
    cause,
  });
}
