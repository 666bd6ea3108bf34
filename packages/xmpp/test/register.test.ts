/**
 * XEP-0077 registration end to end (docs/behaviour.md §2): real users on a
 * real Prosody registering, renaming and unregistering with the gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NS_NICK, refusalText } from "../src/register.js";
import { NS_DATA, NS_REGISTER, readRegistration } from "../src/register-form.js";
import { xml as gxml } from "../src/xml.js";
import { type Element, type User, xml } from "./client.js";
import { errorOf } from "./helpers.js";
import { createXmppWorld, DOTLESS_HOST, goOnline, HOST, type XmppWorld } from "./world.js";

let w: XmppWorld;
beforeAll(async () => {
  w = await createXmppWorld();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

const query = (...children: Element[]) => xml("query", { xmlns: NS_REGISTER }, ...children);
const get = (u: User, to = w.domain) => u.iq(xml("iq", { type: "get", to }, query()));
const set = (u: User, ...children: Element[]) =>
  u.iq(xml("iq", { type: "set", to: w.domain }, query(...children)));
const withUsername = (u: User, name: string) => set(u, xml("username", {}, name));
const form = (fields: Record<string, string>, type = "submit") =>
  xml(
    "x",
    { xmlns: NS_DATA, type },
    ...Object.entries(fields).map(([name, value]) =>
      xml("field", { var: name }, xml("value", {}, value)),
    ),
  );
const field = (x: Element | undefined, name: string) =>
  x?.getChildren("field").find((f) => f.attrs.var === name);
const NS_ROSTER = "jabber:iq:roster";
/** A roster push (RFC 6121 §2.1.6) about the gateway with these attributes. */
const rosterPush =
  (attrs: Record<string, string>, jid = w.domain) =>
  (s: Element) => {
    const item = s.getChild("query", NS_ROSTER)?.getChild("item");
    return (
      s.is("iq") &&
      s.attrs.type === "set" &&
      item?.attrs.jid === jid &&
      Object.entries(attrs).every(([k, v]) => item.attrs[k] === v)
    );
  };
const bare = (u: User) => u.jid.split("/")[0]!;
let daveAddressJid = "";
const addressJidOf = async (u: User) => {
  const user = await w.world.accounts.byJid(bare(u));
  const [first] = await w.world.accounts.addresses(user!.id);
  return w.gateway.component.jids.addressJid(first!.address);
};
const fromGateway = (type: string) => (s: Element) =>
  s.is("presence") && s.attrs.type === type && s.attrs.from === w.domain;

describe("get", () => {
  it("an unregistered user gets instructions, the username field and the same as a data form", async () => {
    const reply = await get(await w.user("newcomer"));
    expect(reply.attrs.type).toBe("result");
    const q = reply.getChild("query", NS_REGISTER)!;
    expect(q.getChildText("instructions")).toMatch(/username/i);
    expect(q.getChild("username")).toBeDefined();
    expect(q.getChild("registered")).toBeUndefined();
    const x = q.getChild("x", NS_DATA);
    expect(x?.attrs.type).toBe("form");
    expect(field(x, "FORM_TYPE")?.getChildText("value")).toBe(NS_REGISTER);
    expect(field(x, "username")?.attrs.type).toBe("text-single");
    expect(field(x, "username")?.getChild("required")).toBeDefined();
    expect(field(x, "language")?.getChild("required")).toBeUndefined();
    expect(field(x, "language")?.getChildText("value")).toBeNull();
  });

  it("without a form, the language the client's stream declared is stored", async () => {
    const frank = await w.user("frank");
    expect((await withUsername(frank, "frank")).attrs.type).toBe("result");
    expect((await w.world.accounts.byJid(bare(frank)))?.language).toBe("en");
  });

  it("is served by the gateway only", async () => {
    const reply = await get(await w.user("newcomer"), `someone@${w.domain}`);
    expect(errorOf(reply)).toMatchObject({ condition: "service-unavailable" });
  });
});

describe("registration", () => {
  it("registers: the result first, then a subscribe from the deposit address with nick and greeting, then one from the gateway", async () => {
    const alice = await w.user("alice");
    await goOnline(alice);
    const reply = await withUsername(alice, "Alice");
    expect(reply.attrs.type).toBe("result");
    const user = await w.world.accounts.byJid(bare(alice));
    expect(user?.username).toBe("Alice");
    const [deposit] = await w.world.accounts.addresses(user!.id);
    const addressJid = w.gateway.component.jids.addressJid(deposit!.address);

    const fromAddress = await alice.waitFor(
      (s) => s.is("presence") && s.attrs.type === "subscribe" && s.attrs.from === addressJid,
      "a subscribe from the deposit address",
    );
    expect(fromAddress.getChildText("nick", NS_NICK)).toBe(deposit!.address);
    expect(fromAddress.getChildText("status")).toBe(
      `Welcome to bitcoIM! This is your deposit address: send bitcoins to ${deposit!.address} to fund your account.`,
    );
    const fromGw = await alice.waitFor(fromGateway("subscribe"), "a subscribe from the gateway");
    const order = [reply, fromAddress, fromGw].map((s) => alice.received.indexOf(s));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("a registered user gets <registered/>, their current username and language, to change them", async () => {
    const alice = await w.user("alice");
    const q = (await get(alice)).getChild("query", NS_REGISTER)!;
    expect(q.getChild("registered")).toBeDefined();
    expect(q.getChildText("username")).toBe("Alice");
    const x = q.getChild("x", NS_DATA);
    expect(field(x, "username")?.getChildText("value")).toBe("Alice");
    const stored = (await w.world.accounts.byJid(bare(alice)))?.language;
    expect(stored).toBeTruthy();
    expect(field(x, "language")?.getChildText("value")).toBe(stored);
  });

  it("renames through the data form", async () => {
    const bob = await w.user("bob");
    expect((await withUsername(bob, "bob")).attrs.type).toBe("result");
    const reply = await set(bob, form({ FORM_TYPE: NS_REGISTER, username: "Robert" }));
    expect(reply.attrs.type).toBe("result");
    expect((await w.world.accounts.byJid(bare(bob)))?.username).toBe("Robert");
    expect(await w.world.accounts.byUsername("bob")).toBeUndefined();
  });

  it("registers through the data form", async () => {
    const dave = await w.user("dave");
    await goOnline(dave);
    const reply = await set(
      dave,
      form({ FORM_TYPE: NS_REGISTER, username: "dave", language: "FR" }),
    );
    expect(reply.attrs.type).toBe("result");
    expect(await w.world.accounts.byJid(bare(dave))).toMatchObject({
      username: "dave",
      language: "fr",
    });
    // Dave and the gateway subscribe to each other (RFC 6121 §3), so that
    // his server lets the gateway's unsubscriptions through on removal.
    await dave.waitFor(fromGateway("subscribe"), "the gateway's subscribe");
    await dave.iq(xml("iq", { type: "get" }, xml("query", { xmlns: NS_ROSTER })));
    await dave.send(xml("presence", { type: "subscribed", to: w.domain }));
    await dave.send(xml("presence", { type: "subscribe", to: w.domain }));
    await dave.waitFor(rosterPush({ subscription: "from", ask: "subscribe" }), "ask=subscribe");
    const subscribed = { type: "subscribed", from: w.domain, to: bare(dave) };
    await w.gateway.component.send(gxml("presence", subscribed));
    await dave.waitFor(rosterPush({ subscription: "both" }), "subscription=both");
    // He accepts his address's subscription request too.
    daveAddressJid = await addressJidOf(dave);
    await dave.send(xml("presence", { type: "subscribed", to: daveAddressJid }));
    await dave.waitFor(rosterPush({ subscription: "from" }, daveAddressJid), "address: from");
  });
});

describe("language", () => {
  const languageOf = async (u: User) => (await w.world.accounts.byJid(bare(u)))?.language;
  const stored = async (u: User) => {
    const user = await w.world.accounts.byJid(bare(u));
    return { username: user?.username, language: user?.language };
  };

  it("a newcomer who chooses French is welcomed in French by their deposit address", async () => {
    const gaston = await w.user("gaston");
    await goOnline(gaston);
    const reply = await set(
      gaston,
      form({ FORM_TYPE: NS_REGISTER, username: "gaston", language: "fr" }),
    );
    expect(reply.attrs.type).toBe("result");
    const addressJid = await addressJidOf(gaston);
    const greeting = await gaston.waitFor(
      (s) => s.is("presence") && s.attrs.type === "subscribe" && s.attrs.from === addressJid,
      "the deposit address's subscribe",
    );
    const [deposit] = await w.world.accounts.addresses(
      (await w.world.accounts.byJid(bare(gaston)))!.id,
    );
    expect(greeting.getChildText("status")).toBe(
      `Bienvenue sur bitcoIM ! Voici votre adresse de dépôt : envoyez des bitcoins à ${deposit!.address} pour approvisionner votre compte.`,
    );
  });

  it("re-registering with a language changes the stored one, and later texts follow it", async () => {
    const henri = await w.user("henri");
    expect((await withUsername(henri, "henri")).attrs.type).toBe("result");
    expect(await languageOf(henri)).toBe("en");
    const reply = await set(
      henri,
      form({ FORM_TYPE: NS_REGISTER, username: "henri", language: "FR" }),
    );
    expect(reply.attrs.type).toBe("result");
    expect(await stored(henri)).toEqual({ username: "henri", language: "fr" });
    // A request in a language we do not speak now gets his stored French.
    const q = await henri.iq(xml("iq", { type: "get", to: w.domain, "xml:lang": "de" }, query()));
    expect(q.getChild("query")?.getChildText("instructions")).toMatch(/^Choisissez un nom/);
  });

  it("a rename and a language change may come in one form", async () => {
    const henri = await w.user("henri");
    const reply = await set(
      henri,
      form({ FORM_TYPE: NS_REGISTER, username: "Henri", language: "en-GB" }),
    );
    expect(reply.attrs.type).toBe("result");
    expect(await stored(henri)).toEqual({ username: "Henri", language: "en-gb" });
    // Back to French, as the tests below expect.
    await set(henri, form({ FORM_TYPE: NS_REGISTER, username: "Henri", language: "fr" }));
  });

  it("a rename without a language keeps the stored one", async () => {
    const henri = await w.user("henri");
    expect((await withUsername(henri, "henri")).attrs.type).toBe("result");
    expect(await stored(henri)).toEqual({ username: "henri", language: "fr" });
  });

  it.each([
    ["a bad language tag", { username: "henri2", language: "français!" }, /language tag/],
    ["a taken username", { username: "ALICE", language: "de" }, /already taken/],
  ])("re-registering with %s is not-acceptable and changes nothing", async (_, fields, text) => {
    const henri = await w.user("henri");
    const reply = await set(henri, form({ FORM_TYPE: NS_REGISTER, ...fields }));
    expect(errorOf(reply)).toMatchObject({ condition: "not-acceptable" });
    expect(errorOf(reply).text).toMatch(text);
    expect(await stored(henri)).toEqual({ username: "henri", language: "fr" });
  });
});

describe("refusals change nothing", () => {
  const address = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
  it.each([
    ["missing", () => query(), /missing/],
    ["empty", () => query(xml("username", {}, "  ")), /empty/],
    ["with a dot", () => query(xml("username", {}, "a.b")), /dot/],
    ["an address", () => query(xml("username", {}, address)), /Bitcoin address/],
    ["too long", () => query(xml("username", {}, "x".repeat(65))), /too long/],
    ["taken (other case)", () => query(xml("username", {}, "ALICE")), /already taken/],
    ["missing in a form", () => query(form({ FORM_TYPE: NS_REGISTER })), /missing/],
    [
      "fine but a language that is no tag",
      () => query(form({ FORM_TYPE: NS_REGISTER, username: "erin", language: "français!" })),
      /language tag/,
    ],
  ])("a username %s is not-acceptable with its own text", async (_, payload, text) => {
    const erin = await w.user("erin");
    const reply = await erin.iq(xml("iq", { type: "set", to: w.domain }, payload()));
    expect(errorOf(reply)).toMatchObject({ type: "modify", condition: "not-acceptable" });
    expect(errorOf(reply).text).toMatch(text);
    expect(await w.world.accounts.byJid(bare(erin))).toBeUndefined();
  });

  it("a rename to a taken name keeps the old one", async () => {
    const bob = await w.user("bob");
    const reply = await withUsername(bob, "alice");
    expect(errorOf(reply).text).toMatch(/already taken/);
    expect((await w.world.accounts.byJid(bare(bob)))?.username).toBe("Robert");
  });

  it("a cancelled or foreign form is a bad-request", async () => {
    const erin = await w.user("erin");
    const cancelled = await set(erin, form({ username: "erin" }, "cancel"));
    expect(errorOf(cancelled)).toMatchObject({ condition: "bad-request" });
    const foreign = await set(erin, form({ FORM_TYPE: "urn:example", username: "erin" }));
    expect(errorOf(foreign)).toMatchObject({ condition: "bad-request" });
    expect(await w.world.accounts.byJid(bare(erin))).toBeUndefined();
  });

  it("speaks French to a request in French", async () => {
    const u = await w.user("francoise");
    const form = await u.iq(xml("iq", { type: "get", to: w.domain, "xml:lang": "fr" }, query()));
    expect(form.getChild("query")?.getChildText("instructions")).toMatch(/^Choisissez un nom/);
    const refusal = await u.iq(
      xml("iq", { type: "set", to: w.domain, "xml:lang": "fr" }, query(xml("username", {}, "a.b"))),
    );
    expect(errorOf(refusal)).toMatchObject({ condition: "not-acceptable" });
    expect(refusal.getChild("error")?.getChildText("text")).toMatch(/contient un point/);
    expect(refusal.getChild("error")?.getChild("text")?.attrs["xml:lang"]).toBe("fr");
  });

  it("a JID without a dot is refused and logged as suspicious", async () => {
    const carol = await w.user("carol", DOTLESS_HOST);
    const reply = await withUsername(carol, "carol");
    expect(errorOf(reply)).toMatchObject({ condition: "not-acceptable" });
    expect(errorOf(reply).text).toMatch(/no dot/);
    const entry = await w.log.waitFor((e) => e.level === "warn" && /suspicious/.test(e.message));
    expect(entry.fields.jid).toBe(`carol@${DOTLESS_HOST}`);
    expect(await w.world.accounts.byUsername("carol")).toBeUndefined();
  });
});

describe("removal", () => {
  it("unregisters, answers first, then unsubscribe, unsubscribed and a goodbye", async () => {
    const dave = await w.user("dave");
    const reply = await set(dave, xml("remove"));
    expect(reply.attrs.type).toBe("result");
    expect(await w.world.accounts.byJid(bare(dave))).toBeUndefined();
    const unsubscribe = await dave.waitFor(fromGateway("unsubscribe"), "unsubscribe");
    const unsubscribed = await dave.waitFor(fromGateway("unsubscribed"), "unsubscribed");
    const goodbye = await dave.waitFor(fromGateway("unavailable"), "unavailable");
    expect(goodbye.getChildText("status")).toMatch(/goodbye/i);
    const order = [reply, unsubscribe, unsubscribed, goodbye].map((s) => dave.received.indexOf(s));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // His address unsubscribes too, after the gateway.
    const fromAddress = await dave.waitFor(
      (s) => s.is("presence") && s.attrs.type === "unsubscribe" && s.attrs.from === daveAddressJid,
      "unsubscribe from the address",
    );
    expect(dave.received.indexOf(fromAddress)).toBeGreaterThan(order.at(-1)!);
    expect(await w.world.accounts.byUsername("dave")).toBeUndefined();
  });

  it("registering again brings the old account and its address back", async () => {
    const dave = await w.user("dave");
    const seen = dave.received.length;
    expect((await withUsername(dave, "dave2")).attrs.type).toBe("result");
    expect(await addressJidOf(dave)).toBe(daveAddressJid);
    await dave.waitFor(
      (s) =>
        dave.received.indexOf(s) >= seen &&
        s.is("presence") &&
        s.attrs.type === "subscribe" &&
        s.attrs.from === daveAddressJid,
      "a new subscribe from the old address",
    );
  });

  it("an unknown JID gets a result too", async () => {
    const reply = await set(await w.user("stranger"), xml("remove"));
    expect(reply.attrs.type).toBe("result");
  });

  it("is refused while the account holds money", async () => {
    const alice = await w.user("alice");
    const user = (await w.world.accounts.byJid(bare(alice)))!;
    const [deposit] = await w.world.accounts.addresses(user.id);
    await w.world.pay(deposit!.address, 100_000n);
    await w.world.mine(1);
    await w.world.scan();
    const reply = await set(alice, xml("remove"));
    expect(errorOf(reply)).toMatchObject({ condition: "not-acceptable" });
    expect(errorOf(reply).text).toMatch(/withdraw/);
    expect((await w.world.accounts.byJid(bare(alice)))?.username).toBe("Alice");
  });
});

it("the test users live on the dotted host", () => {
  expect(HOST).toContain(".");
});

describe("reading a set (unit)", () => {
  const q = (...children: Parameters<typeof gxml>[2][]) =>
    gxml("query", { xmlns: NS_REGISTER }, ...children);
  const x = (type: string, fields: Record<string, string>) =>
    gxml(
      "x",
      { xmlns: NS_DATA, type },
      ...Object.entries(fields).map(([k, v]) => gxml("field", { var: k }, gxml("value", {}, v))),
    );

  it.each([
    [q(gxml("remove")), { kind: "remove" }],
    [q(gxml("username", {}, "bob")), { kind: "username", username: "bob" }],
    [q(), { kind: "missing" }],
    [q(x("submit", { username: "bob" })), { kind: "username", username: "bob" }],
    [
      q(x("submit", { FORM_TYPE: NS_REGISTER, username: "bob", language: " fr " })),
      { kind: "username", username: "bob", language: "fr" },
    ],
    [q(x("submit", { FORM_TYPE: NS_REGISTER })), { kind: "missing" }],
    [q(x("cancel", { username: "bob" })), { kind: "bad-form" }],
    [q(x("submit", { FORM_TYPE: "urn:other", username: "bob" })), { kind: "bad-form" }],
  ])("%s", (query, expected) => {
    expect(readRegistration(query)).toMatchObject(expected);
  });

  it("every refusal the accounts service can give has its own text", () => {
    const codes = [
      "USERNAME_EMPTY",
      "USERNAME_HAS_DOT",
      "USERNAME_TOO_LONG",
      "USERNAME_INVALID_CHARACTER",
      "USERNAME_IS_ADDRESS",
      "USERNAME_TAKEN",
      "JID_WITHOUT_DOT",
      "JID_INVALID",
      "ALREADY_REGISTERED",
      "USER_NOT_FOUND",
      "BALANCE_NOT_EMPTY",
    ] as const;
    const texts = codes.map((code) => refusalText(code, "x"));
    expect(new Set(texts).size).toBe(codes.length);
  });
});
