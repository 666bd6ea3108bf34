/** What XEP-0077 registration says to people, in the chosen language (the texts: i18n/en.ts, i18n/fr.ts). */
import type { AccountsErrorCode } from "@bitcoim/accounts";
import { en } from "./i18n/en.js";
import { chooseLanguage, type LanguageChoice } from "./i18n/language.js";
import type { RegistrationTexts } from "./i18n/sections.js";

export type { RegistrationTexts } from "./i18n/sections.js";

/** The texts for a request: its `xml:lang`, else the user's language, else the configured order, else English. */
export const registrationTexts = (choice: LanguageChoice): RegistrationTexts =>
  chooseLanguage(choice).registration;

/** English refusal texts, for callers that have no language to go by. */
export const refusalText = (code: AccountsErrorCode, username: string) =>
  en.registration.refusal(code, username);
