/**
 * The texts of the gateway's stanzas other than chat, section by section,
 * as each language's catalogue (en.ts, fr.ts) gives them: XEP-0100 contact
 * addressing, XEP-0077 registration (and registering by chat), service
 * discovery and stanza errors, vCards. Names, JIDs, addresses and usernames
 * stay as they are: only words are translated.
 */
import type { AccountsErrorCode } from "@bitcoim/accounts";
import type { Network } from "@bitcoim/wallet";
import type { JidErrorCode, JidFacts } from "../jids.js";

/** XEP-0100 (`jabber:iq:gateway`): the description and prompt of a `get`, and why an entry names no contact. */
export interface GatewayTexts {
  /** The language of these texts, for the error's `xml:lang`. */
  readonly lang: string;
  onlyGateway: string;
  description: string;
  prompt: string;
  empty: string;
  notFound(entered: string): string;
  wrongNetwork(address: string, theirs: readonly Network[], ours: Network): string;
  unsupported(address: string): string;
}

/** XEP-0077 registration: the form, a refusal per AccountsError code, the new address's greeting, the goodbye; and registering by chat. */
export interface RegistrationTexts {
  /** The language of these texts, for errors' `xml:lang`. */
  readonly lang: string;
  instructions: string;
  title: string;
  usernameLabel: string;
  languageLabel: string;
  onlyGateway: string;
  missing: string;
  notSubmitted(why: string): string;
  badLanguage(tag: string): string;
  /** The status of the deposit address's subscription request. */
  welcome(address: string): string;
  goodbye: string;
  refusal(code: AccountsErrorCode, username: string): string;
  /** Registering by chat (chat-register.ts): its two words, said exactly. */
  words: { register: string; unregister: string };
  /** The reply to an unregistered sender's message that is no registration. */
  howToRegister(register: string): string;
  chatUsage(register: string): string;
  registered(username: string, address: string): string;
  renamed(username: string): string;
}

/** Service discovery (XEP-0030) names, and the errors that disco, the IQ router, presence and the dispatcher send. */
export interface StanzaTexts {
  /** The language of these texts, for the error's (or identity's) `xml:lang`. */
  readonly lang: string;
  /** The admins' directory of members (the `users` node). */
  users: string;
  /** A user's deposit addresses (the `addresses` node). */
  addresses: string;
  /** The requester's own `addresses` node, from the gateway. */
  yourAddresses: string;
  /** The item pointing from a user's JID to their real JID. */
  realJid: string;
  noSuchUser: string;
  noNode(node: string): string;
  onlyUserAndAdmins: string;
  onlyAdminsList: string;
  /** A namespace we serve, but not with this type or element. */
  notImplemented(type: string, element: string, ns: string): string;
  /** A namespace nobody serves. */
  notServed(ns: string): string;
  internalError: string;
  /** A command or IQ that arrives while the gateway is shutting down. */
  shuttingDown: string;
  /** A stanza to a name on our domain that names nothing we serve. */
  badJid(code: JidErrorCode, facts: JidFacts): string;
}

/** XEP-0054 vCards: only their sentences. */
export interface VcardTexts {
  /** The language of these texts, for the error's `xml:lang`. */
  readonly lang: string;
  /** The gateway's DESC. */
  gatewayDescription: string;
  /** The same words as disco's and presence's (stanza-texts.ts). */
  noSuchUser: string;
}
