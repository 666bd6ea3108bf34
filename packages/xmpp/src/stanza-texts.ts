/**
 * What the gateway's other stanzas say to people, in each language we have:
 * the prose names of service discovery (XEP-0030) and the texts of the
 * errors that disco, the IQ router, presence and the dispatcher send.
 * Names, JIDs, addresses and usernames stay as they are: only words are
 * translated.
 */
import { textsByLanguage } from "./i18n/language.js";
import type { JidErrorCode, JidFacts } from "./jids.js";

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

const networkList = (f: JidFacts) => (f.networks ?? []).join(", ") || "?";

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
  badJid: (code, f) => {
    if (code === "JID_FOREIGN") return `${f.jid ?? "That JID"} is not on this gateway`;
    if (code === "JID_MALFORMED") return `"${f.jid ?? ""}" is not a JID`;
    if (code === "JID_BAD_ESCAPE") return `"${f.node ?? ""}" names no valid bare JID`;
    const why =
      f.address === "ADDRESS_WRONG_NETWORK"
        ? `it is an address of ${networkList(f)}, not of this gateway's network`
        : f.address === "ADDRESS_UNSUPPORTED"
          ? "it is a kind of address this gateway does not pay"
          : f.address === "ADDRESS_NODE_NON_CANONICAL"
            ? "an address has exactly one JID, and this is not its spelling"
            : "it is not a valid Bitcoin address";
    return `No such address here: ${why}`;
  },
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
  badJid: (code, f) => {
    if (code === "JID_FOREIGN") return `${f.jid ?? "Ce JID"} n'est pas sur cette passerelle`;
    if (code === "JID_MALFORMED") return `« ${f.jid ?? ""} » n'est pas un JID`;
    if (code === "JID_BAD_ESCAPE") return `« ${f.node ?? ""} » ne désigne aucun JID nu valide`;
    const why =
      f.address === "ADDRESS_WRONG_NETWORK"
        ? `c'est une adresse de ${networkList(f)}, pas du réseau de cette passerelle`
        : f.address === "ADDRESS_UNSUPPORTED"
          ? "c'est un type d'adresse que cette passerelle ne paie pas"
          : f.address === "ADDRESS_NODE_NON_CANONICAL"
            ? "une adresse a un seul JID, et ce n'est pas celui-ci"
            : "ce n'est pas une adresse Bitcoin valide";
    return `Aucune adresse de ce nom ici : ${why}`;
  },
};

/** The texts for a request: its `xml:lang`, else the user's language, else the configured order, else English. */
export const stanzaTexts = textsByLanguage<StanzaTexts>({ en, fr });
