/**
 * The prose of XEP-0054 vCards, in each language we have. Names, JIDs,
 * addresses and links stay as they are: only sentences are translated.
 */
import { textsByLanguage } from "./i18n/language.js";
import { stanzaTexts } from "./stanza-texts.js";

export interface VcardTexts {
  /** The language of these texts, for the error's `xml:lang`. */
  readonly lang: string;
  /** The gateway's DESC. */
  gatewayDescription: string;
  /** The same words as disco's and presence's (stanza-texts.ts). */
  noSuchUser: string;
}

const en: VcardTexts = {
  lang: "en",
  gatewayDescription:
    "A Bitcoin wallet you use by chatting: pay and get paid by username or address.",
  noSuchUser: stanzaTexts({ stanzaLang: "en" }).noSuchUser,
};

const fr: VcardTexts = {
  lang: "fr",
  gatewayDescription:
    "Un portefeuille Bitcoin qui s'utilise en discutant : payez et faites-vous payer par nom d'utilisateur ou par adresse.",
  noSuchUser: stanzaTexts({ stanzaLang: "fr" }).noSuchUser,
};

/** The texts for a request: its `xml:lang`, else the user's language, else the configured order, else English. */
export const vcardTexts = textsByLanguage<VcardTexts>({ en, fr });
