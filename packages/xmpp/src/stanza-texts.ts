/** What the gateway's other stanzas (disco, errors) say to people, in the chosen language (the texts: i18n/en.ts, i18n/fr.ts). */
import { chooseLanguage, type LanguageChoice } from "./i18n/language.js";
import type { StanzaTexts } from "./i18n/sections.js";

export type { StanzaTexts } from "./i18n/sections.js";

/** The texts for a request: its `xml:lang`, else the user's language, else the configured order, else English. */
export const stanzaTexts = (choice: LanguageChoice): StanzaTexts => chooseLanguage(choice).stanza;
