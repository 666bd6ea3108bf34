import { describe, expect, it } from "vitest";
import { isAnswerable, NS_STANZAS, StanzaError } from "../src/errors.js";
import { createIqRouter } from "../src/iq-router.js";
import { xml } from "../src/xml.js";

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
