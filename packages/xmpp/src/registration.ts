/**
 * The rules of registering, renaming and unregistering, whichever way a
 * client asks: the XEP-0077 form (register.ts) or a chat command
 * (chat-register.ts). Both refuse the same things with the same texts and
 * send the same presences afterwards (XEP-0100 §4.1.1, §4.3.1).
 */
import { AccountsError, type AccountsErrorCode } from "@bitcoim/accounts";
import { StanzaError } from "./errors.js";
import type { JidModel } from "./jids.js";
import type { Logger } from "./log.js";
import { type RegistrationTexts, registrationTexts } from "./register-texts.js";
import type { RosterItems } from "./roster-items.js";
import type { AccountsService } from "./services.js";
import { type Element, xml } from "./xml.js";

export const NS_NICK = "http://jabber.org/protocol/nick";

/** A BCP 47 language tag, loosely: a primary subtag and optional others. */
const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i;

export interface RegistrationDeps {
  readonly accounts: Pick<
    AccountsService,
    "register" | "rename" | "setLanguage" | "unregister" | "byJid" | "addresses"
  >;
  readonly jids: JidModel;
  readonly log: Logger;
  /** The configured language order; English is always the last fallback. */
  readonly languages?: readonly string[] | undefined;
  /** Roster items put in place without prompts, where the server allows it (XEP-0356). */
  readonly roster?: RosterItems | undefined;
}

export type Registered =
  | { kind: "registered"; addresses: string[]; after: Element[] }
  | { kind: "renamed"; after: Element[] };

/**
 * Registers `bare` as `username`, or renames it if it is registered. Only
 * a language the request names replaces a stored one (XEP-0100 §4.2); the
 * stream's goes with a new registration. Refusals are `not-acceptable`.
 */
export async function registerJid(
  deps: RegistrationDeps,
  t: RegistrationTexts,
  request: {
    bare: string;
    username: string;
    language?: string | undefined;
    stream?: string;
    /** Whether `bare` is registered, when the caller has looked already. */
    known?: boolean;
  },
): Promise<Registered> {
  const { accounts, jids, log, languages } = deps;
  const { bare, username } = request;
  if (!bare.includes(".")) {
    log.warn({ jid: bare }, "suspicious registration attempt from a JID without a dot");
    throw refused(t, "JID_WITHOUT_DOT", username);
  }
  const language = chosenLanguage(t, request.language, request.stream);
  try {
    if (request.known ?? Boolean(await accounts.byJid(bare))) {
      await accounts.rename(bare, username);
      if (request.language !== undefined && language) await accounts.setLanguage(bare, language);
      return { kind: "renamed", after: [] };
    }
    const { addresses } = await accounts.register(bare, username, {
      ...(language ? { language } : {}),
    });
    log.info({ jid: bare }, "user registered");
    // One fresh address for a newcomer; all of them for a returning account.
    const list = addresses.map((a) => a.address);
    if (await deps.roster?.add(bare, { addresses: list })) {
      // The items are in; the user's presence, asked for, brings all of ours (presence.ts).
      return { kind: "registered", addresses: list, after: [probe(jids.domain, bare)] };
    }
    // Sent unasked, after the reply: in the language just stored, not the request's.
    const welcome = registrationTexts({ userLang: language, configured: languages });
    return {
      kind: "registered",
      addresses: list,
      after: [
        ...list.map((address) => addressSubscribe(jids, address, bare, welcome.welcome(address))),
        xml("presence", { type: "subscribe", from: jids.domain, to: bare }),
      ],
    };
  } catch (error) {
    if (error instanceof AccountsError) throw refused(t, error.code, username, error);
    throw error;
  }
}

/**
 * Unregisters `bare` (refused while it holds money); returns the presences
 * that follow: the gateway's first, then its addresses', which the client
 * should drop from the roster too (XEP-0100 §4.3.1, step 7).
 */
export async function unregisterJid(
  deps: RegistrationDeps,
  t: RegistrationTexts,
  bare: string,
  /** The account, when the caller has looked it up already (null: none). */
  known?: { id: number } | null,
): Promise<Element[]> {
  const { accounts, jids } = deps;
  const user = known === undefined ? await accounts.byJid(bare) : known;
  const addresses = user ? await accounts.addresses(user.id) : [];
  try {
    await accounts.unregister(bare);
  } catch (error) {
    if (error instanceof AccountsError) throw refused(t, error.code, "", error);
    throw error;
  }
  const list = addresses.map((a) => a.address);
  // Items the gateway put in, it takes out; otherwise the subscriptions are ended.
  if (await deps.roster?.remove(bare, list)) return [];
  const from = [jids.domain, ...addresses.map(({ address }) => jids.addressJid(address))];
  return from.flatMap((jid) => [
    xml("presence", { type: "unsubscribe", from: jid, to: bare }),
    xml("presence", { type: "unsubscribed", from: jid, to: bare }),
    xml("presence", { type: "unavailable", from: jid, to: bare }, xml("status", {}, t.goodbye)),
  ]);
}

/** RFC 6121 §4.3: asks the user's server for their presence, which now may come to us. */
const probe = (from: string, to: string) => xml("presence", { type: "probe", from, to });

/** An address asks to join `to`'s roster; XEP-0172 §4.1: with its address as nick. */
export function addressSubscribe(
  jids: JidModel,
  address: string,
  to: string,
  status: string,
): Element {
  return xml(
    "presence",
    { type: "subscribe", from: jids.addressJid(address), to },
    xml("nick", { xmlns: NS_NICK }, address),
    xml("status", {}, status),
  );
}

/**
 * The language to store: the request's (refused if it is no language tag),
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
