/**
 * What the gateway's other stanzas say to people, in each language we have:
 * the prose names of service discovery (XEP-0030) and the texts of the
 * errors that disco, the IQ router, presence and the dispatcher send.
 * Names, JIDs, addresses and usernames stay as they are: only words are
 * translated.
 */
import { textsByLanguage } from "./i18n/language.js";

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
}

const en: StanzaTexts = {
  lang: "en",
  users: "Users",
  addresses: "Addresses",
  yourAddresses: "Your addresses",
  realJid: "Real JID",
  noSuchUser: "No such user here",
  noNode: (node) => `There is no node "${node}" here`,
  onlyUserAndAdmins: "Only this user and the admins can see this",
  onlyAdminsList: "Only admins can list the users",
  notImplemented: (type, element, ns) =>
    `IQ ${type} of <${element}/> in ${ns} is not supported here`,
  notServed: (ns) => `The namespace "${ns}" is not served here`,
  internalError: "Something went wrong on our side",
  shuttingDown: "The gateway is restarting; please try again in a moment",
};

const fr: StanzaTexts = {
  lang: "fr",
  users: "Utilisateurs",
  addresses: "Adresses",
  yourAddresses: "Vos adresses",
  realJid: "JID réel",
  noSuchUser: "Aucun utilisateur de ce nom ici",
  noNode: (node) => `Il n'y a pas de nœud « ${node} » ici`,
  onlyUserAndAdmins: "Seuls cet utilisateur et les administrateurs peuvent voir ceci",
  onlyAdminsList: "Seuls les administrateurs peuvent voir la liste des utilisateurs",
  notImplemented: (type, element, ns) =>
    `Une requête IQ ${type} de <${element}/> dans ${ns} n'est pas prise en charge ici`,
  notServed: (ns) => `L'espace de noms « ${ns} » n'est pas pris en charge ici`,
  internalError: "Un problème est survenu de notre côté",
  shuttingDown: "La passerelle redémarre ; réessayez dans un instant",
};

/** The texts for a request: its `xml:lang`, else the user's language, else the configured order, else English. */
export const stanzaTexts = textsByLanguage<StanzaTexts>({ en, fr });
