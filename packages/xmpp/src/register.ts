/**
 * In-band registration, XEP-0077 (docs/behaviour.md §2), with a gateway's
 * flows from XEP-0100 §4.1 (register), §4.2 (edit registration), §4.3
 * (unregister).
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
 * one from the gateway (XEP-0100 §4.1.1). Texts follow docs/behaviour.md §7:
 * the request's `xml:lang`, the user's language, the configured order.
 */
import { StanzaError } from "./errors.js";
import type { IqContext, IqRouter } from "./iq-router.js";
import { NS_REGISTER, readRegistration, registrationQuery } from "./register-form.js";
import { registrationTexts } from "./register-texts.js";
import { type RegistrationDeps, registerJid, unregisterJid } from "./registration.js";
import { bareJidOf } from "./services.js";
import type { Element } from "./xml.js";

export { NS_REGISTER } from "./register-form.js";
export { refusalText } from "./register-texts.js";
export { NS_NICK } from "./registration.js";

export interface RegisterDeps extends RegistrationDeps {
  readonly iq: IqRouter;
  /** Sends stanzas once the IQ's reply has gone out. */
  readonly sendAfterReply: (stanzas: readonly Element[]) => void;
}

export function register(deps: RegisterDeps): void {
  const { iq, accounts, sendAfterReply, languages } = deps;
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
    const done = await registerJid(deps, t, {
      bare,
      username: request.username,
      language: request.language,
      ...(ctx.lang ? { stream: ctx.lang } : {}),
      known: current !== undefined,
    });
    sendAfterReply(done.after);
    return undefined;
  });

  async function remove(ctx: IqContext, bare: string): Promise<undefined> {
    const user = await accounts.byJid(bare);
    sendAfterReply(await unregisterJid(deps, textsFor(ctx, user?.language), bare, user ?? null));
    return undefined;
  }
}
