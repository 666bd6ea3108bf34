/**
 * What XEP-0100 contact addressing (`jabber:iq:gateway`) says to people, in
 * each language we have: the description and prompt label of a `get`, and
 * why an entry names no contact.
 */
import type { Network } from "@bitcoim/wallet";
import { textsByLanguage } from "./i18n/language.js";

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

const en: GatewayTexts = {
  lang: "en",
  onlyGateway: "Ask the gateway itself",
  description: "Enter a Bitcoin address or the username of a bitcoIM user.",
  prompt: "Bitcoin address or username",
  empty: "Enter a Bitcoin address or a username.",
  notFound: (entered) =>
    `"${entered}" is neither a Bitcoin address nor the username of a bitcoIM user.`,
  wrongNetwork: (address, theirs, ours) =>
    `${address} is an address for ${theirs.join("/")}, not ${ours}: this gateway cannot pay it.`,
  unsupported: (address) => `${address} is a segwit address of a kind that cannot be paid yet.`,
};

const fr: GatewayTexts = {
  lang: "fr",
  onlyGateway: "Adressez-vous à la passerelle elle-même",
  description: "Saisissez une adresse Bitcoin ou le nom d'un utilisateur de bitcoIM.",
  prompt: "Adresse Bitcoin ou nom d'utilisateur",
  empty: "Saisissez une adresse Bitcoin ou un nom d'utilisateur.",
  notFound: (entered) =>
    `« ${entered} » n'est ni une adresse Bitcoin ni le nom d'un utilisateur de bitcoIM.`,
  wrongNetwork: (address, theirs, ours) =>
    `${address} est une adresse du réseau ${theirs.join("/")}, pas du réseau ${ours} : cette passerelle ne peut pas la payer.`,
  unsupported: (address) =>
    `${address} est une adresse segwit d'un type qu'on ne peut pas encore payer.`,
};

/** The texts for a request: its `xml:lang`, else the user's language, else the configured order, else English. */
export const gatewayTexts = textsByLanguage<GatewayTexts>({ en, fr });
