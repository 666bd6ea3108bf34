/**
 * Which catalogue answers (docs/behaviour.md §7): the stanza's `xml:lang` if
 * we have that catalogue, else the user's stored language, else the first
 * configured language we have, else English.
 */
import { formatAmount } from "@bitcoim/wallet";
import type { Catalogue } from "./catalogue.js";
import { en } from "./en.js";
import { fr } from "./fr.js";

export const CATALOGUES: Readonly<Record<string, Catalogue>> = { en, fr };

/** The catalogue for a language tag (RFC 5646), by its primary subtag: `fr-CA` → French. */
export function catalogueFor(tag: string | null | undefined): Catalogue | undefined {
  const primary = tag?.trim().split(/[-_]/)[0]?.toLowerCase();
  return primary ? CATALOGUES[primary] : undefined;
}

export function chooseLanguage(choice: {
  stanzaLang?: string | undefined;
  userLang?: string | null | undefined;
  configured?: readonly string[] | undefined;
}): Catalogue {
  return (
    catalogueFor(choice.stanzaLang) ??
    catalogueFor(choice.userLang) ??
    (choice.configured ?? []).map(catalogueFor).find((c) => c !== undefined) ??
    en
  );
}

/** Who a text is chosen for: the stanza's `xml:lang`, the user's language, the configured order. */
export type LanguageChoice = Parameters<typeof chooseLanguage>[0];

/** An amount in BTC as this language writes it (decimal comma in French). */
export function formatBtc(t: Catalogue, sats: bigint): string {
  return `${formatAmount(sats, { locale: t.locale })} BTC`;
}

/** A date and time in UTC, in this language's style. */
export function formatDate(_t: Catalogue, date: Date): string {
  // One form in every language: 6/12/26 is June to some readers and December to others.
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
