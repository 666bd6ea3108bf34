import { parseAmount } from "@bitcoim/wallet";
import { describe, expect, it } from "vitest";
import {
  COMMAND_NAMES,
  isWord,
  parseBody,
  resolveCommand,
  splitAmount,
} from "../src/commands/index.js";
import { en } from "../src/i18n/en.js";
import { fr } from "../src/i18n/fr.js";
import { createRateLimit } from "../src/rate-limit.js";

describe("parseBody", () => {
  it("takes the first word as the action and keeps the rest", () => {
    expect(parseBody("  pay 0.5   for the  bike ")).toEqual({
      word: "pay",
      args: ["0.5", "for", "the", "bike"],
      rest: "0.5   for the  bike",
    });
    expect(parseBody("help")).toEqual({ word: "help", args: [], rest: "" });
    expect(parseBody("confirm\nabcd")).toEqual({ word: "confirm", args: ["abcd"], rest: "abcd" });
  });

  it("ignores empty bodies", () => {
    expect(parseBody("")).toBeUndefined();
    expect(parseBody(" \n\t ")).toBeUndefined();
  });
});

describe("resolveCommand", () => {
  const all = COMMAND_NAMES;
  it("accepts any unique prefix, in any case", () => {
    expect(resolveCommand("p", en, all)).toEqual({ kind: "command", command: "pay" });
    expect(resolveCommand("CONF", en, all)).toEqual({ kind: "command", command: "confirm" });
    expect(resolveCommand("hi", en, all)).toEqual({ kind: "command", command: "history" });
    expect(resolveCommand("b", en, all)).toEqual({ kind: "command", command: "balance" });
  });

  it("lists the candidates of an ambiguous prefix", () => {
    expect(resolveCommand("c", en, all)).toEqual({
      kind: "ambiguous",
      candidates: ["confirm", "cancel"],
    });
    expect(resolveCommand("h", en, all)).toEqual({
      kind: "ambiguous",
      candidates: ["history", "help"],
    });
  });

  it("knows nothing of other words", () => {
    expect(resolveCommand("payy", en, all)).toEqual({ kind: "unknown" });
    expect(resolveCommand("xyz", fr, all)).toEqual({ kind: "unknown" });
    // French words are not English ones.
    expect(resolveCommand("payer", en, all)).toEqual({ kind: "unknown" });
  });

  it("takes French words and English ones in French", () => {
    expect(resolveCommand("payer", fr, all)).toEqual({ kind: "command", command: "pay" });
    expect(resolveCommand("sol", fr, all)).toEqual({ kind: "command", command: "balance" });
    expect(resolveCommand("balance", fr, all)).toEqual({ kind: "command", command: "balance" });
    expect(resolveCommand("hist", fr, all)).toEqual({ kind: "command", command: "history" });
    // "con" is confirm in both languages: not ambiguous.
    expect(resolveCommand("con", fr, all)).toEqual({ kind: "command", command: "confirm" });
    expect(resolveCommand("a", fr, all)).toEqual({
      kind: "ambiguous",
      candidates: ["annuler", "adresse", "aide"],
    });
  });

  it("lets an exact word beat a prefix of another", () => {
    const t = { ...en, words: { ...en.words, help: "he", history: "hehe" } };
    expect(resolveCommand("he", t, all)).toEqual({ kind: "command", command: "help" });
  });

  it("only resolves among the commands allowed", () => {
    expect(resolveCommand("c", en, ["confirm", "help"])).toEqual({
      kind: "command",
      command: "confirm",
    });
  });
});

describe("sub-words and amounts", () => {
  it("reads `new` by prefix in both languages", () => {
    expect(isWord("n", en, (c) => c.newWord)).toBe(true);
    expect(isWord("nouv", fr, (c) => c.newWord)).toBe(true);
    expect(isWord("new", fr, (c) => c.newWord)).toBe(true);
    expect(isWord("old", en, (c) => c.newWord)).toBe(false);
    expect(isWord("", en, (c) => c.newWord)).toBe(false);
  });

  it("splits the amount, with a unit word, from the reason", () => {
    expect(splitAmount("0.5 for  the bike")).toEqual({ amount: "0.5", reason: "for  the bike" });
    expect(splitAmount("2000 sat lunch")).toEqual({ amount: "2000 sat", reason: "lunch" });
    expect(splitAmount("1,5 mBTC")).toEqual({ amount: "1,5 mBTC", reason: "" });
    expect(splitAmount("")).toEqual({ amount: "", reason: "" });
  });

  it("keeps a thousands group with its number, for the amount parser to refuse", () => {
    expect(splitAmount("1 000")).toEqual({ amount: "1 000", reason: "" });
    expect(splitAmount("12 500 sat rent")).toEqual({ amount: "12 500", reason: "sat rent" });
    expect(() => parseAmount(splitAmount("1 000 rent").amount)).toThrow(
      expect.objectContaining({ code: "AMOUNT_GROUPING" }),
    );
    // Not a group: a decimal amount, then a reason that starts with a number.
    expect(splitAmount("0.01 2 coffees")).toEqual({ amount: "0.01", reason: "2 coffees" });
    expect(splitAmount("5 10 coffees")).toEqual({ amount: "5", reason: "10 coffees" });
  });
});

describe("rate limit", () => {
  it("allows the limit per window and key, then refuses until the window moves on", () => {
    let now = 0;
    const limit = createRateLimit({ limit: 3, windowMs: 60_000, now: () => now });
    expect([1, 2, 3, 4].map(() => limit.take("alice"))).toEqual([true, true, true, false]);
    expect(limit.take("bob")).toBe(true);
    now = 59_999;
    expect(limit.take("alice")).toBe(false);
    now = 60_001;
    expect(limit.take("alice")).toBe(true);
    expect(limit.limit).toBe(3);
  });

  it("defaults to 30 a minute", () => {
    const limit = createRateLimit({ now: () => 0 });
    const taken = Array.from({ length: 31 }, () => limit.take("k"));
    expect(taken.filter(Boolean)).toHaveLength(30);
    expect(taken.at(-1)).toBe(false);
  });
});
