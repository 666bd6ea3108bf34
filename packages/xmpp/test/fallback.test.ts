/** What of a body the user wrote (XEP-0461 / XEP-0428 / XEP-0444), on odd input too. */
import { describe, expect, it } from "vitest";
import { NS_FALLBACK, NS_REACTIONS, NS_REPLY, writtenBody } from "../src/fallback.js";
import { type Element, xml } from "../src/xml.js";

const message = (...children: Element[]) => xml("message", { type: "chat" }, ...children);
const fallback = (...ranges: Record<string, string>[]) =>
  xml("fallback", { xmlns: NS_FALLBACK, for: NS_REPLY }, ...ranges.map((r) => xml("body", r)));

describe("the body a user wrote", () => {
  it("cuts marked ranges by code points, not UTF-16 units", () => {
    const body = "> 🙂 paid?\nconfirm k7xq";
    const quote = [..."> 🙂 paid?\n"].length;
    const stanza = message(
      xml("reply", { xmlns: NS_REPLY }),
      fallback({ start: "0", end: String(quote) }),
    );
    expect(writtenBody(stanza, body)).toBe("confirm k7xq");
  });

  it("keeps the text of ranges it cannot read, and clamps ranges past the end", () => {
    expect(writtenBody(message(fallback({ start: "x", end: "3" })), "balance")).toBe("balance");
    expect(writtenBody(message(fallback({ start: "-5", end: "99" })), "balance")).toBeUndefined();
    expect(writtenBody(message(fallback({ start: "8", end: "99" })), "balance")).toBe("balance");
  });

  it("a fallback without ranges covers the whole body: nothing was written", () => {
    const stanza = message(xml("fallback", { xmlns: NS_FALLBACK }));
    expect(writtenBody(stanza, "This message is encrypted")).toBeUndefined();
  });

  it("drops leading quoted lines where nothing is marked, and only leading ones", () => {
    expect(writtenBody(message(), "> a\n>b\nhistory 2")).toBe("history 2");
    expect(writtenBody(message(), "pay 0.1 see\n> below")).toBe("pay 0.1 see\n> below");
    expect(writtenBody(message(), "> only a quote")).toBe("> only a quote");
  });

  it("a reaction, or a blank body, is nothing to run", () => {
    const reaction = xml("reactions", { xmlns: NS_REACTIONS, id: "1" }, xml("reaction", {}, "👍"));
    expect(writtenBody(message(reaction), "confirm k7xq")).toBeUndefined();
    expect(writtenBody(message(), "  \n ")).toBeUndefined();
  });
});
