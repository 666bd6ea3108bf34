import { describe, expect, it } from "vitest";
import { EscapeError, escapeNode, isCanonicalNode, unescapeNode } from "../src/escape.js";

describe("XEP-0106 escaping", () => {
  // XEP-0106 §5.1, the specification's own table.
  it.each([
    ["space cadet", "space\\20cadet"],
    ['call me "ishmael"', "call\\20me\\20\\22ishmael\\22"],
    ["at&t guy", "at\\26t\\20guy"],
    ["d'artagnan", "d\\27artagnan"],
    ["/.fanboy", "\\2f.fanboy"],
    ["::foo::", "\\3a\\3afoo\\3a\\3a"],
    ["<foo>", "\\3cfoo\\3e"],
    ["user@host", "user\\40host"],
    ["c:\\net", "c\\3a\\net"],
    ["c:\\\\net", "c\\3a\\\\net"],
    ["c:\\cool stuff", "c\\3a\\cool\\20stuff"],
    ["c:\\5commas", "c\\3a\\5c5commas"],
  ])("%s ⇄ %s", (text, node) => {
    expect(escapeNode(text)).toBe(node);
    expect(unescapeNode(node)).toBe(text);
    expect(isCanonicalNode(node)).toBe(true);
  });

  it("escapes a backslash only where it would start a sequence, in either case", () => {
    expect(escapeNode("a\\2Fb")).toBe("a\\5c2Fb");
    expect(escapeNode("a\\40")).toBe("a\\5c40");
    expect(escapeNode("a\\4")).toBe("a\\4");
    expect(escapeNode("a\\")).toBe("a\\");
    expect(escapeNode("\\zz")).toBe("\\zz");
  });

  it("unescapes only the ten sequences, once, left to right", () => {
    expect(unescapeNode("\\5c")).toBe("\\");
    expect(unescapeNode("\\5c5c")).toBe("\\5c");
    expect(unescapeNode("\\5c20")).toBe("\\20");
    expect(unescapeNode("\\2F")).toBe("/");
    expect(unescapeNode("\\3")).toBe("\\3");
    expect(unescapeNode("a\\")).toBe("a\\");
    expect(unescapeNode("\\zz\\21\\7e")).toBe("\\zz\\21\\7e");
    expect(unescapeNode("caf\\c3\\a9")).toBe("caf\\c3\\a9");
    expect(unescapeNode("\\\\40")).toBe("\\@");
  });

  it("keeps non-ASCII and dots as they are", () => {
    expect(escapeNode("zoë.example")).toBe("zoë.example");
    expect(unescapeNode("zoë")).toBe("zoë");
  });

  it("round-trips awkward strings", () => {
    for (const text of ["\\", "\\\\", "\\5c", "a\\20b", "x@y/z", "\"&'<>", "\\40\\40", "a b"]) {
      expect(unescapeNode(escapeNode(text))).toBe(text);
    }
  });

  it("refuses what no localpart can carry", () => {
    expect(() => escapeNode("")).toThrow(EscapeError);
    expect(() => escapeNode(" lead")).toThrow(/space/);
    expect(() => escapeNode("trail ")).toThrow(/space/);
  });

  it("tells non-canonical spellings apart", () => {
    expect(isCanonicalNode("\\5cnet")).toBe(false); // `\net` needs no \5c
    expect(isCanonicalNode("a\\2Fb")).toBe(false); // upper-case hex
    expect(isCanonicalNode("\\20lead")).toBe(false);
    expect(isCanonicalNode("plain")).toBe(true);
  });
});
