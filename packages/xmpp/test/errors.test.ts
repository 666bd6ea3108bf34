import type { IncomingContext } from "@xmpp/component";
import { describe, expect, it } from "vitest";
import { createDispatcher } from "../src/dispatch.js";
import { isAnswerable, NS_STANZAS, StanzaError } from "../src/errors.js";
import { createIqRouter } from "../src/iq-router.js";
import { createJidModel } from "../src/jids.js";
import { type Element, xml } from "../src/xml.js";
import { memoryLogger } from "./helpers.js";

describe("StanzaError", () => {
  it("renders type, defined condition and text (RFC 6120 §8.3)", () => {
    const error = new StanzaError("not-acceptable", "No dots", { lang: "fr" });
    expect(error.type).toBe("modify");
    expect(error.toElement().toString()).toBe(
      `<error type="modify"><not-acceptable xmlns="${NS_STANZAS}"/>` +
        `<text xmlns="${NS_STANZAS}" xml:lang="fr">No dots</text></error>`,
    );
  });

  it("takes an explicit type and an application condition", () => {
    const application = xml("low-balance", { xmlns: "urn:example:bitcoim" });
    const error = new StanzaError("undefined-condition", "", { type: "wait", application });
    expect(error.toElement().toString()).toBe(
      `<error type="wait"><undefined-condition xmlns="${NS_STANZAS}"/>` +
        `<low-balance xmlns="urn:example:bitcoim"/></error>`,
    );
  });
});

describe("isAnswerable", () => {
  it.each([
    ["iq", "get", true],
    ["iq", "set", true],
    ["iq", "result", false],
    ["iq", "error", false],
    ["message", undefined, true],
    ["message", "chat", true],
    ["message", "error", false],
    ["presence", undefined, true],
    ["presence", "subscribe", true],
    ["presence", "unavailable", false],
    ["presence", "error", false],
  ])("%s type=%s → %s", (name, type, answerable) => {
    expect(isAnswerable(xml(name, { type }))).toBe(answerable);
  });
});

describe("the IQ router", () => {
  it("refuses a second handler for the same request", () => {
    const iq = createIqRouter();
    iq.get("urn:example", "q", () => undefined);
    iq.set("urn:example", "q", () => undefined);
    expect(() => iq.get("urn:example", "q", () => undefined)).toThrow(/already/);
    expect(iq.namespaces()).toEqual(["urn:example"]);
  });
});

/** What a thrown StanzaError says: condition, text and the text's language. */
function thrown(run: () => unknown): { condition: string; text: string; lang: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof StanzaError) {
      return { condition: error.condition, text: error.text, lang: error.lang };
    }
    throw error;
  }
  throw new Error("nothing was thrown");
}

describe("the IQ router's error texts", () => {
  const iq = createIqRouter();
  iq.get("jabber:iq:version", "query", () => undefined);
  const version = xml("query", { xmlns: "jabber:iq:version" });
  const nope = xml("query", { xmlns: "urn:example:nope" });

  it("are English by default", () => {
    expect(thrown(() => iq.resolve("set", version))).toEqual({
      condition: "feature-not-implemented",
      text: "IQ set of <query/> in jabber:iq:version is not supported here",
      lang: "en",
    });
    expect(thrown(() => iq.resolve("get", nope, { stanzaLang: "de" }))).toEqual({
      condition: "service-unavailable",
      text: 'The namespace "urn:example:nope" is not served here',
      lang: "en",
    });
  });

  it("follow the stanza's xml:lang, then the configured order", () => {
    expect(thrown(() => iq.resolve("set", version, { stanzaLang: "fr-CA" }))).toEqual({
      condition: "feature-not-implemented",
      text: "Une requête IQ set de <query/> dans jabber:iq:version n'est pas prise en charge ici",
      lang: "fr",
    });
    expect(thrown(() => iq.resolve("get", nope, { stanzaLang: "de", configured: ["fr"] }))).toEqual(
      {
        condition: "service-unavailable",
        text: "L'espace de noms « urn:example:nope » n'est pas pris en charge ici",
        lang: "fr",
      },
    );
    expect(
      thrown(() => iq.resolve("get", nope, { stanzaLang: "en", configured: ["fr"] })).lang,
    ).toBe("en");
  });
});

describe("the dispatcher's error texts", () => {
  const domain = "bitcoin.example.org";
  /** A dispatcher whose one IQ handler crashes; returns the `<error/>` an IQ gets. */
  async function errorFor(attrs: Record<string, string>, languages?: readonly string[]) {
    const iq = createIqRouter();
    iq.get("urn:xmpp:ping", "ping", () => {
      throw new Error("secret internals");
    });
    const dispatch = createDispatcher({
      jids: createJidModel({ domain, network: "regtest" }),
      iq,
      handlers: {},
      send: async () => {},
      log: memoryLogger(),
      languages,
    });
    const element = xml("ping", { xmlns: "urn:xmpp:ping" });
    const stanza = xml(
      "iq",
      { type: "get", from: "a@example.org/r", to: domain, ...attrs },
      element,
    );
    const ctx = { stanza, element, name: "iq", type: "get", id: "1" } as IncomingContext;
    const reply = (await dispatch(ctx, async () => undefined)) as Element;
    const text = reply.getChild("text", NS_STANZAS);
    return { text: text?.text(), lang: text?.attrs["xml:lang"] };
  }

  it("say internal-server-error in the stanza's language, else the configured one, else English", async () => {
    const english = { text: "Something went wrong on our side", lang: "en" };
    const french = { text: "Un problème est survenu de notre côté", lang: "fr" };
    expect(await errorFor({})).toEqual(english);
    expect(await errorFor({ "xml:lang": "fr" })).toEqual(french);
    expect(await errorFor({ "xml:lang": "de" }, ["fr"])).toEqual(french);
    expect(await errorFor({}, ["de", "fr"])).toEqual(french);
    expect(await errorFor({ "xml:lang": "en" }, ["fr"])).toEqual(english);
    expect(await errorFor({ "xml:lang": "de" })).toEqual(english);
  });
});
