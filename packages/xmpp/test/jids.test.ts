import { AddressError } from "@bitcoim/wallet";
import { describe, expect, it } from "vitest";
import { createJidModel, JidError, splitJid } from "../src/jids.js";
import { stanzaTexts } from "../src/stanza-texts.js";

const DOMAIN = "bitcoin.example.org";
const jids = createJidModel({ domain: "Bitcoin.Example.org", network: "regtest" });

// Regtest addresses with their nodes (worked in @bitcoim/wallet's tests).
const LEGACY = "mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r";
const LEGACY_NODE = "mrcdrcybb6j1vrfbwm5hemdjz73fwdbc8r-wz166";
const BECH32 = "bcrt1q97lgdyakcepvdrvfq5qyhfgjqyvjr8a6cnstxj";

function codeOf(jid: string): string {
  try {
    jids.classify(jid);
  } catch (error) {
    if (error instanceof JidError) return error.code;
    throw error;
  }
  return "no error";
}

describe("the JID model", () => {
  it("names the gateway, whatever the case or resource", () => {
    expect(jids.classify(DOMAIN)).toEqual({ kind: "gateway" });
    expect(jids.classify("BITCOIN.example.org/res")).toEqual({ kind: "gateway" });
  });

  it("names addresses by their node, case-insensitively", () => {
    const entity = { kind: "address", node: LEGACY_NODE, address: LEGACY };
    expect(jids.classify(`${LEGACY_NODE}@${DOMAIN}`)).toEqual(entity);
    expect(jids.classify(`${LEGACY_NODE.toUpperCase()}@${DOMAIN}/x`)).toEqual(entity);
    expect(jids.classify(`${BECH32}@${DOMAIN}`)).toMatchObject({ address: BECH32 });
    expect(jids.addressJid(LEGACY)).toBe(`${LEGACY_NODE}@${DOMAIN}`);
    expect(jids.addressJid(BECH32)).toBe(`${BECH32}@${DOMAIN}`);
  });

  it("refuses address nodes that are not canonical or not for this network", () => {
    expect(codeOf(`${LEGACY_NODE.replace("-", "-0")}@${DOMAIN}`)).toBe("JID_BAD_ADDRESS");
    expect(codeOf(`${LEGACY.toLowerCase()}-zzzzzz@${DOMAIN}`)).toBe("JID_BAD_ADDRESS");
    // a mainnet address, valid but not here
    expect(codeOf(`1bvbmseystwetqtfn5au4m4gfg7xjanvn2-3asdjr@${DOMAIN}`)).toBe("JID_BAD_ADDRESS");
    expect(() => jids.addressJid("not-an-address")).toThrow(AddressError);
  });

  it("says why in the requester's language, naming what was asked for", () => {
    const errorOf = (jid: string) => {
      try {
        jids.classify(jid);
      } catch (error) {
        if (error instanceof JidError) return error;
      }
      throw new Error(`${jid} was accepted`);
    };
    const mainnet = errorOf(`1bvbmseystwetqtfn5au4m4gfg7xjanvn2-3asdjr@${DOMAIN}`);
    expect(mainnet.facts).toMatchObject({
      address: "ADDRESS_WRONG_NETWORK",
      networks: ["mainnet"],
    });
    const [en, fr] = [stanzaTexts({ stanzaLang: "en" }), stanzaTexts({ stanzaLang: "fr" })];
    expect(en.badJid(mainnet.code, mainnet.facts)).toBe(
      "No such address here: it is an address of mainnet, not of this gateway's network",
    );
    expect(fr.badJid(mainnet.code, mainnet.facts)).toBe(
      "Aucune adresse de ce nom ici : c'est une adresse de mainnet, pas du réseau de cette passerelle",
    );
    const foreign = errorOf("alice@elsewhere.example");
    expect(fr.badJid(foreign.code, foreign.facts)).toBe(
      "alice@elsewhere.example n'est pas sur cette passerelle",
    );
    const escaped = errorOf(`\\20alice@${DOMAIN}`);
    expect(en.badJid(escaped.code, escaped.facts)).toMatch(/^".*" names no valid bare JID$/);
  });

  it("names users by their unescaped username", () => {
    expect(jids.classify(`alice@${DOMAIN}`)).toEqual({
      kind: "username",
      node: "alice",
      username: "alice",
    });
    expect(jids.classify(`Bob\\20Smith@${DOMAIN}`)).toMatchObject({ username: "bob smith" });
    expect(jids.classify(`c\\3a\\net@${DOMAIN}`)).toMatchObject({ username: "c:\\net" });
    // looks like an address node but is none: a username
    expect(jids.classify(`1abc-2@${DOMAIN}`)).toMatchObject({ kind: "username" });
    expect(jids.usernameJid("Bob Smith")).toBe(`bob\\20smith@${DOMAIN}`);
  });

  it("names users by their escaped real JID when it has a dot", () => {
    expect(jids.classify(`alice\\40example.org@${DOMAIN}`)).toEqual({
      kind: "real-jid",
      node: "alice\\40example.org",
      jid: "alice@example.org",
    });
    expect(jids.classify(`example.net@${DOMAIN}`)).toMatchObject({ jid: "example.net" });
    expect(jids.realJidJid("alice@example.org")).toBe(`alice\\40example.org@${DOMAIN}`);
    expect(codeOf(`alice\\40example.org\\2fphone@${DOMAIN}`)).toBe("JID_BAD_ESCAPE");
    expect(codeOf(`\\40example.org@${DOMAIN}`)).toBe("JID_BAD_ESCAPE");
    expect(codeOf(`a\\40b\\40example.org@${DOMAIN}`)).toBe("JID_BAD_ESCAPE");
  });

  it("refuses escaped edge spaces, other domains and broken JIDs", () => {
    expect(codeOf(`\\20alice@${DOMAIN}`)).toBe("JID_BAD_ESCAPE");
    expect(codeOf("alice@example.org")).toBe("JID_FOREIGN");
    expect(codeOf(`@${DOMAIN}`)).toBe("JID_MALFORMED");
    expect(codeOf(`${DOMAIN}/`)).toBe("JID_MALFORMED");
    expect(codeOf("")).toBe("JID_MALFORMED");
  });

  it("splits JIDs at the first @ before the first /", () => {
    expect(splitJid("A@B/c@d/e")).toEqual({ local: "a", domain: "b", resource: "c@d/e" });
  });
});
