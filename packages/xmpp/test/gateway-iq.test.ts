/**
 * XEP-0100 contact addressing (`jabber:iq:gateway`, docs/behaviour.md §3)
 * through a real Prosody.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NS_GATEWAY } from "../src/gateway-iq.js";
import { type Element, type User, xml } from "./client.js";
import { errorOf } from "./helpers.js";
import { createXmppWorld, HOST, type XmppWorld } from "./world.js";

let w: XmppWorld;
let eve: User;
let fabienne: User;
beforeAll(async () => {
  w = await createXmppWorld();
  await w.world.accounts.register(`alice@${HOST}`, "Alice");
  await w.world.accounts.register(`fabienne@${HOST}`, "Fabienne", { language: "fr" });
  eve = await w.user("eve");
  fabienne = await w.user("fabienne");
}, 60_000);
afterAll(async () => {
  await w?.close();
});

const query = (...children: Element[]) => xml("query", { xmlns: NS_GATEWAY }, ...children);
const ask = (entered: string, to = w.domain, lang?: string, who = eve) =>
  who.iq(
    xml(
      "iq",
      { type: "set", to, ...(lang ? { "xml:lang": lang } : {}) },
      query(xml("prompt", {}, entered)),
    ),
  );
const getQuery = async (lang?: string, who = eve) => {
  const attrs = { type: "get", to: w.domain, ...(lang ? { "xml:lang": lang } : {}) };
  return (await who.iq(xml("iq", attrs, query()))).getChild("query", NS_GATEWAY);
};
/** The `xml:lang` of an error's text (RFC 6120 §8.3.2). */
const errorLang = (reply: Element) => reply.getChild("error")?.getChild("text")?.attrs["xml:lang"];
const jidOf = (reply: Element) => reply.getChild("query", NS_GATEWAY)?.getChildText("jid");

it("get: a description and a prompt", async () => {
  const reply = await eve.iq(xml("iq", { type: "get", to: w.domain }, query()));
  const q = reply.getChild("query", NS_GATEWAY);
  expect(q?.getChildText("desc")).toMatch(/address.*username/);
  expect(q?.getChildText("prompt")).toBeTruthy();
});

it("an address gives its JID, upper-case letters encoded in the node", async () => {
  const legacy = await w.world.outside.getNewAddress("", "legacy");
  expect(legacy).toMatch(/[A-Z]/);
  const reply = await ask(` ${legacy} `);
  expect(jidOf(reply)).toBe(w.gateway.component.jids.addressJid(legacy));
  expect(jidOf(reply)).toMatch(/^[^A-Z]+-[0-9a-z]+@/);
  const classified = w.gateway.component.jids.classify(jidOf(reply)!);
  expect(classified).toMatchObject({ kind: "address", address: legacy });
});

it("a bech32 address gives its node as is", async () => {
  const address = await w.world.outside.getNewAddress("", "bech32");
  expect(jidOf(await ask(address))).toBe(`${address}@${w.domain}`);
});

it("a username, in any case, gives that user's local JID", async () => {
  expect(jidOf(await ask("ALICE"))).toBe(`alice@${w.domain}`);
});

it.each([
  ["an unknown username", "nobody", /neither a Bitcoin address nor/],
  ["garbage", "x y z!", /neither a Bitcoin address nor/],
  ["a mainnet address", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", /not regtest/],
])("%s is item-not-found with a message", async (_, entered, text) => {
  const reply = await ask(entered);
  expect(errorOf(reply)).toMatchObject({
    condition: "item-not-found",
    text: expect.stringMatching(text),
  });
});

it("an empty prompt is item-not-found, with a message", async () => {
  expect(errorOf(await ask("  "))).toMatchObject({
    condition: "item-not-found",
    text: "Enter a Bitcoin address or a username.",
  });
});

describe("languages", () => {
  it("English by default", async () => {
    const q = await getQuery();
    expect(q?.getChildText("desc")).toBe(
      "Enter a Bitcoin address or the username of a bitcoIM user.",
    );
    expect(q?.getChildText("prompt")).toBe("Bitcoin address or username");
    const reply = await ask("nobody");
    expect(errorOf(reply).text).toBe(
      '"nobody" is neither a Bitcoin address nor the username of a bitcoIM user.',
    );
    expect(errorLang(reply)).toBe("en");
  });

  it("French to a request in French", async () => {
    const q = await getQuery("fr");
    expect(q?.getChildText("desc")).toBe(
      "Saisissez une adresse Bitcoin ou le nom d'un utilisateur de bitcoIM.",
    );
    expect(q?.getChildText("prompt")).toBe("Adresse Bitcoin ou nom d'utilisateur");
  });

  it.each([
    ["unknown", () => ask("nobody", w.domain, "fr-CA"), "item-not-found", /^« nobody » n'est ni/],
    ["empty", () => ask(" ", w.domain, "fr"), "item-not-found", /^Saisissez une adresse/],
    [
      "not to the gateway",
      () => ask("x", `alice@${w.domain}`, "fr"),
      "service-unavailable",
      /^Adressez-vous/,
    ],
    [
      "of another network",
      () => ask("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", w.domain, "fr"),
      "item-not-found",
      /adresse du réseau mainnet, pas du réseau regtest/,
    ],
  ])("an error in French (%s), its text marked fr", async (_, send, condition, text) => {
    const reply = await send();
    expect(errorOf(reply)).toMatchObject({ condition, text: expect.stringMatching(text) });
    expect(errorLang(reply)).toBe("fr");
  });

  it("a stanza language we do not speak falls back to the user's stored one", async () => {
    const q = await getQuery("de", fabienne);
    expect(q?.getChildText("prompt")).toBe("Adresse Bitcoin ou nom d'utilisateur");
    const reply = await ask("nobody", w.domain, "de", fabienne);
    expect(errorOf(reply).text).toMatch(/^« nobody » n'est ni une adresse Bitcoin/);
  });

  it("the stanza's language beats the stored one", async () => {
    expect((await getQuery("en", fabienne))?.getChildText("prompt")).toBe(
      "Bitcoin address or username",
    );
  });
});

it("only the gateway answers", async () => {
  const reply = await ask("Alice", `alice@${w.domain}`);
  expect(errorOf(reply)).toMatchObject({ condition: "service-unavailable" });
});

it("the gateway's wiring serves version, last activity and ping too", async () => {
  const get = (ns: string, name = "query") =>
    eve.iq(xml("iq", { type: "get", to: w.domain }, xml(name, { xmlns: ns })));
  const version = await get("jabber:iq:version");
  expect(version.getChild("query", "jabber:iq:version")?.getChildText("name")).toBe("bitcoIM");
  const last = await get("jabber:iq:last");
  expect(Number(last.getChild("query", "jabber:iq:last")?.attrs.seconds)).toBeGreaterThanOrEqual(0);
  expect((await get("urn:xmpp:ping", "ping")).attrs.type).toBe("result");
});
