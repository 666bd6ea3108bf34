/**
 * Registering by chat, for clients with no XEP-0077 form (Conversations,
 * Dino, Monal): `register <username> [language]` and `unregister`, written
 * to the gateway, follow the rules and refusals of the form
 * (registration.ts). The words are said in full — registering is not a
 * command to guess from a prefix — in English or the sender's language.
 */
import type { User } from "@bitcoim/accounts";
import type { StanzaContext } from "./dispatch.js";
import { StanzaError } from "./errors.js";
import { type RegistrationTexts, registrationTexts } from "./register-texts.js";
import { type RegistrationDeps, registerJid, unregisterJid } from "./registration.js";
import type { Element } from "./xml.js";

export interface ChatRegistration {
  text: string;
  failed: boolean;
  /** Presences to send after the reply: subscriptions, or the goodbye. */
  after: Element[];
}

/** The reply to a registration written by chat, or undefined when `body` is none. */
export async function chatRegistration(
  deps: RegistrationDeps,
  ctx: StanzaContext,
  request: { bare: string; body: string; user: User | undefined },
): Promise<ChatRegistration | undefined> {
  const [word = "", username, language, ...extra] = request.body.trim().split(/\s+/);
  const t = registrationTexts({
    stanzaLang: ctx.lang,
    userLang: language ?? request.user?.language,
    configured: deps.languages,
  });
  const said = kindOf(word, t);
  if (!said || ctx.entity.kind !== "gateway") return undefined;
  try {
    if (said === "unregister") {
      if (username !== undefined) return refusal(t.chatUsage(t.words.register));
      // The form answers an unknown JID's removal with a result; a chat says so.
      if (!request.user) return refusal(t.refusal("USER_NOT_FOUND", ""));
      const after = await unregisterJid(deps, t, request.bare, request.user ?? null);
      return { text: t.goodbye, failed: false, after };
    }
    if (username === undefined || extra.length > 0) return refusal(t.chatUsage(t.words.register));
    const done = await registerJid(deps, t, {
      bare: request.bare,
      username,
      language,
      ...(ctx.lang ? { stream: ctx.lang } : {}),
      known: request.user !== undefined,
    });
    if (done.kind === "renamed") return { text: t.renamed(username), failed: false, after: [] };
    return {
      text: t.registered(username, done.addresses[0] ?? ""),
      failed: false,
      after: done.after,
    };
  } catch (error) {
    if (error instanceof StanzaError) return refusal(error.text);
    throw error;
  }
}

function refusal(text: string): ChatRegistration {
  return { text, failed: true, after: [] };
}

/** Which of the two words `word` is: English, or the texts' language; accents optional. */
function kindOf(word: string, t: RegistrationTexts): "register" | "unregister" | undefined {
  const plain = (w: string) =>
    w.normalize("NFD").replace(/\p{M}/gu, "").normalize("NFKC").toLowerCase();
  const written = plain(word);
  const english = registrationTexts({ configured: [] }).words;
  for (const kind of ["register", "unregister"] as const) {
    if ([english[kind], t.words[kind]].some((w) => plain(w) === written)) return kind;
  }
  return undefined;
}
