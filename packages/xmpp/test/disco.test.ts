/**
 * XEP-0030 service discovery (docs/behaviour.md §4) through a real Prosody:
 * the gateway, users and addresses as seen by their owner, an admin and a
 * stranger.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NS_DISCO_INFO, NS_DISCO_ITEMS } from "../src/disco.js";
import { type Element, type User, xml } from "./client.js";
import { errorOf } from "./helpers.js";
import { createXmppWorld, HOST, type XmppWorld } from "./world.js";

let w: XmppWorld;
let alice: User;
let admin: User;
let bob: User;
let eve: User;
let fabienne: User;
let aliceAddresses: string[];
beforeAll(async () => {
  w = await createXmppWorld({ admins: [`admin@${HOST}`] });
  const { accounts } = w.world;
  const { user } = await accounts.register(`alice@${HOST}`, "Alice");
  await accounts.newAddress(user.id);
  aliceAddresses = (await accounts.addresses(user.id)).map((a) => a.address);
  await accounts.register(`bob@${HOST}`, "bob");
  alice = await w.user("alice");
  admin = await w.user("admin");
  bob = await w.user("bob");
  eve = await w.user("eve");
}, 60_000);
afterAll(async () => {
  await w?.close();
});

const ask = (u: User, ns: string, to: string, node?: string, lang?: string) =>
  u.iq(
    xml(
      "iq",
      { type: "get", to, ...(lang ? { "xml:lang": lang } : {}) },
      xml("query", { xmlns: ns, node }),
    ),
  );
const info = (u: User, to: string, node?: string, lang?: string) =>
  ask(u, NS_DISCO_INFO, to, node, lang);
const items = (u: User, to: string, node?: string, lang?: string) =>
  ask(u, NS_DISCO_ITEMS, to, node, lang);
/** An error's condition, text and the text's `xml:lang` (RFC 6120 §8.3.2). */
const errorIn = (reply: Element) => ({
  condition: errorOf(reply).condition,
  text: errorOf(reply).text,
  lang: reply.getChild("error")?.getChild("text")?.attrs["xml:lang"],
});
const identity = (reply: Element) =>
  reply.getChild("query", NS_DISCO_INFO)?.getChild("identity")?.attrs;
const features = (reply: Element) =>
  reply
    .getChild("query", NS_DISCO_INFO)
    ?.getChildren("feature")
    .map((f) => f.attrs.var) ?? [];
const itemsOf = (reply: Element) =>
  reply
    .getChild("query", NS_DISCO_ITEMS)
    ?.getChildren("item")
    .map(({ attrs: { jid, node, name } }) => ({ jid, node, name }));
const aliceJid = () => `alice@${w.domain}`;
const addressJid = (address: string) => w.gateway.component.jids.addressJid(address);

describe("the gateway", () => {
  it("is a bitcoin gateway with the features it serves", async () => {
    const reply = await info(eve, w.domain);
    expect(identity(reply)).toMatchObject({
      category: "gateway",
      type: "bitcoin",
      name: "bitcoIM",
    });
    expect(features(reply)).toEqual(
      expect.arrayContaining([
        NS_DISCO_INFO,
        NS_DISCO_ITEMS,
        "jabber:iq:register",
        "jabber:iq:version",
        "jabber:iq:gateway",
        "jabber:iq:last",
        "urn:xmpp:ping",
        "vcard-temp",
        "jabber:x:data",
        "urn:xmpp:receipts",
      ]),
    );
  });

  it("node users is a user directory", async () => {
    const reply = await info(admin, w.domain, "users");
    expect(reply.getChild("query", NS_DISCO_INFO)?.attrs.node).toBe("users");
    expect(identity(reply)).toMatchObject({ category: "directory", type: "user" });
  });

  it("items: an unregistered user sees the gateway itself", async () => {
    expect(itemsOf(await items(eve, w.domain))).toEqual([
      { jid: w.domain, node: undefined, name: "bitcoIM" },
    ]);
  });

  it("items: a registered user sees their own addresses node", async () => {
    expect(itemsOf(await items(alice, w.domain))).toEqual([
      { jid: aliceJid(), node: "addresses", name: expect.any(String) },
    ]);
  });

  it("items: an admin also sees the users node, which lists every member", async () => {
    expect(itemsOf(await items(admin, w.domain))).toContainEqual({
      jid: w.domain,
      node: "users",
      name: "Users",
    });
    expect(itemsOf(await items(admin, w.domain, "users"))).toEqual([
      { jid: aliceJid(), node: undefined, name: "Alice" },
      { jid: `bob@${w.domain}`, node: undefined, name: "bob" },
    ]);
  });

  it("the users node is forbidden to others, and unknown nodes are not found", async () => {
    expect(errorOf(await items(alice, w.domain, "users"))).toMatchObject({
      condition: "forbidden",
    });
    expect(errorOf(await items(eve, w.domain, "nope"))).toMatchObject({
      condition: "item-not-found",
    });
    expect(errorOf(await info(eve, w.domain, "nope"))).toMatchObject({
      condition: "item-not-found",
    });
  });
});

describe("a user's JID", () => {
  it.each([
    ["the user", () => alice, () => aliceJid()],
    ["an admin", () => admin, () => aliceJid()],
    [
      "an admin, by real JID",
      () => admin,
      () => w.gateway.component.jids.realJidJid(`alice@${HOST}`),
    ],
  ])("%s sees a registered account named by the username", async (_, who, to) => {
    const reply = await info(who(), to());
    expect(identity(reply)).toMatchObject({
      category: "account",
      type: "registered",
      name: "Alice",
    });
    expect(features(reply)).not.toContain("jabber:iq:register");
  });

  it("items: the addresses node and the real JID; the node lists each address JID", async () => {
    expect(itemsOf(await items(alice, aliceJid()))).toEqual([
      { jid: aliceJid(), node: "addresses", name: expect.any(String) },
      { jid: `alice@${HOST}`, node: undefined, name: expect.any(String) },
    ]);
    const listed = itemsOf(await items(admin, aliceJid(), "addresses"));
    expect(listed).toEqual(
      aliceAddresses.map((a) => ({ jid: addressJid(a), node: undefined, name: a })),
    );
    expect(listed).toHaveLength(2);
  });

  it("strangers get nothing: forbidden by username, not found by real JID", async () => {
    for (const who of [bob, eve]) {
      expect(errorOf(await info(who, aliceJid()))).toMatchObject({ condition: "forbidden" });
      expect(errorOf(await items(who, aliceJid()))).toMatchObject({ condition: "forbidden" });
      expect(errorOf(await items(who, aliceJid(), "addresses"))).toMatchObject({
        condition: "forbidden",
      });
      const byRealJid = w.gateway.component.jids.realJidJid(`alice@${HOST}`);
      const reply = await info(who, byRealJid);
      expect(errorOf(reply)).toMatchObject({ condition: "item-not-found" });
      expect(reply.toString()).not.toContain("Alice");
    }
  });

  it("an unknown user is not found", async () => {
    expect(errorOf(await info(admin, `nobody@${w.domain}`))).toMatchObject({
      condition: "item-not-found",
    });
  });
});

describe("an address JID", () => {
  it("is a branch named by the address, for anyone", async () => {
    const address = aliceAddresses[0]!;
    expect(identity(await info(eve, addressJid(address)))).toMatchObject({
      category: "hierarchy",
      type: "branch",
      name: address,
    });
  });

  it("items: its owner, shown only to the owner and admins", async () => {
    const to = addressJid(aliceAddresses[1]!);
    const owner = [{ jid: aliceJid(), node: undefined, name: "Alice" }];
    expect(itemsOf(await items(alice, to))).toEqual(owner);
    expect(itemsOf(await items(admin, to))).toEqual(owner);
    expect(itemsOf(await items(bob, to))).toEqual([]);
    expect(itemsOf(await items(eve, to))).toEqual([]);
  });

  it("an outside address has no owner to show", async () => {
    const outside = await w.world.outside.getNewAddress("", "bech32");
    expect(itemsOf(await items(admin, addressJid(outside)))).toEqual([]);
  });
});

describe("languages", () => {
  beforeAll(async () => {
    // Registered here, so that the admins' listing above stays alice and bob.
    await w.world.accounts.register(`fabienne@${HOST}`, "fabienne", { language: "fr" });
    fabienne = await w.user("fabienne");
  });

  const realJid = () => w.gateway.component.jids.realJidJid(`alice@${HOST}`);

  it("errors are in English by default, marked as such", async () => {
    expect(errorIn(await info(eve, w.domain, "nope"))).toEqual({
      condition: "item-not-found",
      text: 'There is no node "nope" here',
      lang: "en",
    });
    expect(errorIn(await items(bob, aliceJid()))).toEqual({
      condition: "forbidden",
      text: "Only this user and the admins can see this",
      lang: "en",
    });
    expect(errorIn(await items(alice, w.domain, "users"))).toEqual({
      condition: "forbidden",
      text: "Only admins can list the users",
      lang: "en",
    });
    expect(errorIn(await info(eve, realJid()))).toEqual({
      condition: "item-not-found",
      text: "No such user here",
      lang: "en",
    });
  });

  it.each([
    ["info, the gateway", () => info(eve, w.domain, "nope", "fr")],
    ["items, the gateway", () => items(eve, w.domain, "nope", "fr")],
    ["info, an address", () => info(eve, addressJid(aliceAddresses[0]!), "nope", "fr")],
    ["items, an address", () => items(eve, addressJid(aliceAddresses[0]!), "nope", "fr")],
    ["info, a user", () => info(alice, aliceJid(), "nope", "fr")],
    ["items, a user", () => items(alice, aliceJid(), "nope", "fr")],
  ])("an unknown node is not found, in French (%s)", async (_, send) => {
    expect(errorIn(await send())).toEqual({
      condition: "item-not-found",
      text: "Il n'y a pas de nœud « nope » ici",
      lang: "fr",
    });
  });

  it("refusals are in French for a request in French", async () => {
    expect(errorIn(await info(bob, aliceJid(), undefined, "fr"))).toEqual({
      condition: "forbidden",
      text: "Seuls cet utilisateur et les administrateurs peuvent voir ceci",
      lang: "fr",
    });
    expect(errorIn(await items(eve, aliceJid(), "addresses", "fr"))).toEqual({
      condition: "forbidden",
      text: "Seuls cet utilisateur et les administrateurs peuvent voir ceci",
      lang: "fr",
    });
    expect(errorIn(await items(alice, w.domain, "users", "fr"))).toEqual({
      condition: "forbidden",
      text: "Seuls les administrateurs peuvent voir la liste des utilisateurs",
      lang: "fr",
    });
    for (const reply of [
      await info(admin, `nobody@${w.domain}`, undefined, "fr"),
      await items(eve, realJid(), undefined, "fr"),
    ]) {
      expect(errorIn(reply)).toEqual({
        condition: "item-not-found",
        text: "Aucun utilisateur de ce nom ici",
        lang: "fr",
      });
    }
  });

  it("a user's stored language answers a stanza language we do not speak", async () => {
    // Prosody stamps stanzas with its stream's xml:lang ("en"), so ask in German.
    expect(errorIn(await items(fabienne, aliceJid(), undefined, "de"))).toEqual({
      condition: "forbidden",
      text: "Seuls cet utilisateur et les administrateurs peuvent voir ceci",
      lang: "fr",
    });
    expect(itemsOf(await items(fabienne, w.domain, undefined, "de"))).toEqual([
      { jid: `fabienne@${w.domain}`, node: "addresses", name: "Vos adresses" },
    ]);
    // The stanza's own language comes first.
    expect(errorIn(await items(fabienne, aliceJid(), undefined, "en")).text).toBe(
      "Only this user and the admins can see this",
    );
  });

  it("prose names are French, usernames, addresses and JIDs stay as they are", async () => {
    const users = await info(admin, w.domain, "users", "fr");
    expect(identity(users)).toEqual({
      category: "directory",
      type: "user",
      name: "Utilisateurs",
      "xml:lang": "fr",
    });
    const addresses = await info(alice, aliceJid(), "addresses", "fr");
    expect(identity(addresses)).toEqual({
      category: "hierarchy",
      type: "branch",
      name: "Adresses",
      "xml:lang": "fr",
    });
    expect(identity(await info(alice, aliceJid(), undefined, "fr"))).toMatchObject({
      name: "Alice",
    });
    expect(itemsOf(await items(alice, w.domain, undefined, "fr"))).toEqual([
      { jid: aliceJid(), node: "addresses", name: "Vos adresses" },
    ]);
    expect(itemsOf(await items(eve, w.domain, undefined, "fr"))).toEqual([
      { jid: w.domain, node: undefined, name: "bitcoIM" },
    ]);
    expect(itemsOf(await items(admin, w.domain, undefined, "fr"))).toContainEqual({
      jid: w.domain,
      node: "users",
      name: "Utilisateurs",
    });
    expect(itemsOf(await items(alice, aliceJid(), undefined, "fr"))).toEqual([
      { jid: aliceJid(), node: "addresses", name: "Adresses" },
      { jid: `alice@${HOST}`, node: undefined, name: "JID réel" },
    ]);
  });

  it("prose names are English by default", async () => {
    expect(identity(await info(admin, w.domain, "users"))).toMatchObject({
      name: "Users",
      "xml:lang": "en",
    });
    expect(identity(await info(alice, aliceJid(), "addresses"))).toMatchObject({
      name: "Addresses",
      "xml:lang": "en",
    });
    expect(itemsOf(await items(alice, w.domain))).toEqual([
      { jid: aliceJid(), node: "addresses", name: "Your addresses" },
    ]);
    expect(itemsOf(await items(alice, aliceJid()))).toEqual([
      { jid: aliceJid(), node: "addresses", name: "Addresses" },
      { jid: `alice@${HOST}`, node: undefined, name: "Real JID" },
    ]);
  });
});
