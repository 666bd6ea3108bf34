import { parseAmount } from "@bitcoim/wallet";
import { describe, expect, it } from "vitest";
import { en } from "../src/i18n/en.js";
import { fr } from "../src/i18n/fr.js";
import { catalogueFor, chooseLanguage, formatBtc, formatDate } from "../src/i18n/language.js";

describe("choosing the language", () => {
  it("takes the stanza's xml:lang when there is a catalogue for it", () => {
    expect(chooseLanguage({ stanzaLang: "fr-CA", userLang: "en" }).lang).toBe("fr");
    expect(chooseLanguage({ stanzaLang: "FR" }).lang).toBe("fr");
  });

  it("falls back to the user's language, then the configured order, then English", () => {
    expect(chooseLanguage({ stanzaLang: "de", userLang: "fr" }).lang).toBe("fr");
    expect(
      chooseLanguage({ stanzaLang: "de", userLang: null, configured: ["es", "fr"] }).lang,
    ).toBe("fr");
    expect(chooseLanguage({ stanzaLang: "de", userLang: "it", configured: ["es"] }).lang).toBe(
      "en",
    );
    expect(chooseLanguage({}).lang).toBe("en");
  });

  it("ignores tags that name nothing", () => {
    expect(catalogueFor("")).toBeUndefined();
    expect(catalogueFor("  ")).toBeUndefined();
    expect(catalogueFor("xx-fr")).toBeUndefined();
    expect(catalogueFor(undefined)).toBeUndefined();
  });
});

describe("the catalogues", () => {
  it("give French its own command words, all different from the English ones but audit", () => {
    // "audit" is the French word too.
    const same = Object.entries(fr.words).filter(([k, w]) => en.words[k as "pay"] === w);
    expect(same).toEqual([["audit", "audit"]]);
  });

  it("word every error code of accounts, orders and amounts in both languages", () => {
    for (const t of [en, fr]) {
      for (const group of Object.values(t.errors)) {
        for (const [code, text] of Object.entries(group)) {
          const worded = (text as (f: object) => string)({});
          expect(worded, `${t.lang} ${code}`).toMatch(/\S{3}/);
        }
      }
    }
    expect(en.errors.orders.WRONG_RECIPIENT({ recipient: "bob" })).toContain("bob");
    expect(fr.errors.orders.PAYMENTS_BLOCKED({ reason: "dette" })).toContain("dette");
    expect(en.errors.orders.ALREADY_PAID({ code: "abcd" })).toMatch(/already paid/);
    expect(en.errors.orders.NODE_UNAVAILABLE({})).toMatch(/stays pending/);
  });

  it("write amounts in the language's locale, readable back by parseAmount", () => {
    expect(formatBtc(en, 150_000_000n)).toBe("1.5 BTC");
    expect(formatBtc(fr, 150_000_000n)).toBe("1,5 BTC");
    expect(formatBtc(fr, -1n)).toBe("-0,00000001 BTC");
    expect(parseAmount(formatBtc(fr, 123_456_789n).replace(" BTC", ""))).toBe(123_456_789n);
  });

  it("write dates in one unambiguous form, in UTC", () => {
    const date = new Date(Date.UTC(2026, 0, 31, 13, 5));
    expect(formatDate(en, date)).toBe("2026-01-31 13:05 UTC");
    expect(formatDate(fr, date)).toBe("2026-01-31 13:05 UTC");
  });
});
