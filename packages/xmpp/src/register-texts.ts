/**
 * What XEP-0077 registration says to people, in each language we have:
 * the form, why a username is refused (one text per AccountsError code),
 * the greeting of a new deposit address and the goodbye.
 */
import type { AccountsErrorCode } from "@bitcoim/accounts";
import { textsByLanguage } from "./i18n/language.js";

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

const en: RegistrationTexts = {
  lang: "en",
  instructions:
    "Choose a username: other users can pay you by it. It cannot contain a dot or be a Bitcoin address.",
  title: "Register with bitcoIM",
  usernameLabel: "Username",
  languageLabel: "Language (optional, e.g. en or fr)",
  onlyGateway: "Register with the gateway itself",
  missing: "Please give a username (the username field is missing).",
  notSubmitted: (why) => `Not submitted: ${why}`,
  badLanguage: (tag) => `"${tag}" is not a language tag such as en or fr.`,
  welcome: (address) =>
    `Welcome to bitcoIM! This is your deposit address: send bitcoins to ${address} to fund your account.`,
  goodbye: "Goodbye! You are no longer registered with bitcoIM.",
  words: { register: "register", unregister: "unregister" },
  howToRegister: (register) =>
    `You are not registered with this gateway. To register, type: ${register} <username> — others pay you by that name (or register through your client's service discovery).`,
  chatUsage: (register) =>
    `Type ${register} followed by the username you want, for example: ${register} alice. You may add a language: ${register} alice fr.`,
  registered: (username, address) =>
    `Registered as ${username}. Your deposit address is ${address}: it is in your contacts now. Type help for the commands.`,
  renamed: (username) => `Your username is now ${username}.`,
  refusal(code, username) {
    switch (code) {
      case "USERNAME_EMPTY":
        return "The username is empty; please choose one.";
      case "USERNAME_HAS_DOT":
        return `"${username}" contains a dot; usernames cannot, so that they never look like a JID.`;
      case "USERNAME_TOO_LONG":
        return `"${username}" is too long; choose a shorter username.`;
      case "USERNAME_INVALID_CHARACTER":
        return `"${username}" contains a character a username cannot have.`;
      case "USERNAME_IS_ADDRESS":
        return `"${username}" is a Bitcoin address (or an address's contact name), so it cannot be a username.`;
      case "USERNAME_TAKEN":
        return `The username "${username}" is already taken; please choose another.`;
      case "JID_WITHOUT_DOT":
        return "Your JID cannot register here: it has no dot, so it could be confused with a username.";
      case "JID_INVALID":
        return "Your JID cannot register here: it is not a valid bare JID.";
      case "ALREADY_REGISTERED":
        return "You are registered already; send your new username to change it.";
      case "USER_NOT_FOUND":
        return "You are not registered (any more); register again to choose a username.";
      case "BALANCE_NOT_EMPTY":
        return "You still have money here: withdraw it (and wait for pending payments) before unregistering.";
      default:
        return "Your registration could not be changed.";
    }
  },
};

const fr: RegistrationTexts = {
  lang: "fr",
  instructions:
    "Choisissez un nom d'utilisateur : les autres pourront vous payer par ce nom. Il ne peut contenir de point ni être une adresse Bitcoin.",
  title: "Inscription à bitcoIM",
  usernameLabel: "Nom d'utilisateur",
  languageLabel: "Langue (facultatif, par exemple fr ou en)",
  onlyGateway: "Inscrivez-vous auprès de la passerelle elle-même",
  missing: "Donnez un nom d'utilisateur (le champ est absent).",
  notSubmitted: (why) => `Formulaire non soumis : ${why}`,
  badLanguage: (tag) => `« ${tag} » n'est pas une langue comme fr ou en.`,
  welcome: (address) =>
    `Bienvenue sur bitcoIM ! Voici votre adresse de dépôt : envoyez des bitcoins à ${address} pour approvisionner votre compte.`,
  goodbye: "Au revoir ! Vous n'êtes plus inscrit à bitcoIM.",
  words: { register: "inscrire", unregister: "désinscrire" },
  howToRegister: (register) =>
    `Vous n'êtes pas inscrit auprès de cette passerelle. Pour vous inscrire, tapez : ${register} <nom> — les autres vous paient par ce nom (ou inscrivez-vous par la découverte de services de votre client).`,
  chatUsage: (register) =>
    `Tapez ${register} suivi du nom voulu, par exemple : ${register} alice. Vous pouvez ajouter une langue : ${register} alice en.`,
  registered: (username, address) =>
    `Inscrit sous le nom ${username}. Votre adresse de dépôt est ${address} : elle est dans vos contacts. Tapez aide pour les commandes.`,
  renamed: (username) => `Votre nom d'utilisateur est maintenant ${username}.`,
  refusal(code, username) {
    switch (code) {
      case "USERNAME_EMPTY":
        return "Le nom d'utilisateur est vide ; choisissez-en un.";
      case "USERNAME_HAS_DOT":
        return `« ${username} » contient un point ; un nom d'utilisateur n'en a pas, pour ne jamais ressembler à un JID.`;
      case "USERNAME_TOO_LONG":
        return `« ${username} » est trop long ; choisissez un nom plus court.`;
      case "USERNAME_INVALID_CHARACTER":
        return `« ${username} » contient un caractère interdit dans un nom d'utilisateur.`;
      case "USERNAME_IS_ADDRESS":
        return `« ${username} » est une adresse Bitcoin (ou le nom de contact d'une adresse) : ce ne peut être un nom d'utilisateur.`;
      case "USERNAME_TAKEN":
        return `Le nom « ${username} » est déjà pris ; choisissez-en un autre.`;
      case "JID_WITHOUT_DOT":
        return "Votre JID ne peut s'inscrire ici : sans point, il pourrait être confondu avec un nom d'utilisateur.";
      case "JID_INVALID":
        return "Votre JID ne peut s'inscrire ici : ce n'est pas un JID nu valide.";
      case "ALREADY_REGISTERED":
        return "Vous êtes déjà inscrit ; envoyez votre nouveau nom pour le changer.";
      case "USER_NOT_FOUND":
        return "Vous n'êtes pas (plus) inscrit ; inscrivez-vous pour choisir un nom.";
      case "BALANCE_NOT_EMPTY":
        return "Il vous reste de l'argent ici : retirez-le (et attendez les paiements en cours) avant de vous désinscrire.";
      default:
        return "Votre inscription n'a pas pu être modifiée.";
    }
  },
};

/** The texts for a request: its `xml:lang`, else the user's language, else the configured order, else English. */
export const registrationTexts = textsByLanguage<RegistrationTexts>({ en, fr });

/** English refusal texts, for callers that have no language to go by. */
export const refusalText = (code: AccountsErrorCode, username: string) =>
  en.refusal(code, username);
