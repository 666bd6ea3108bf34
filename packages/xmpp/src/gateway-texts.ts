/** What XEP-0100 contact addressing says to people, in the chosen language (the texts: i18n/en.ts, i18n/fr.ts). */
import { chooseLanguage, type LanguageChoice } from "./i18n/language.js";
import type { GatewayTexts } from "./i18n/sections.js";

export type { GatewayTexts } from "./i18n/sections.js";

/** The texts for a request: its `xml:lang`, else the user's language, else the configured order, else English. */
export const gatewayTexts = (choice: LanguageChoice): GatewayTexts =>
  chooseLanguage(choice).gateway;
