/**
 * Presence end to end (docs/behaviour.md §6): subscriptions, probes,
 * statuses, online resources in the database, start-up announce and
 * shutdown goodbye.
 */
import { btc } from "@bitcoim/accounts/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CAPS_NODE, capsVer, NS_CAPS } from "../src/caps.js";
import { NS_DISCO_INFO } from "../src/disco.js";
import type { Presence } from "../src/presence.js";
import { createPresenceStore, type PresenceStore } from "../src/presence-store.js";
import { type ChatWorld, createChatWorld } from "./chat-world.js";
import { type Element, type User, xml } from "./client.js";
import { errorOf } from "./helpers.js";
import { goOnline, HOST, presenceIn } from "./world.js";

vi.setConfig({ testTimeout: 20_000 });

let w: ChatWorld;
let presence: Presence;
let store: PresenceStore;
let alice: User;
let bob: User;
let dave: User;
let gw: string;
let first: string;
let second: string;
const jid = (u: User) => u.jid.split("/")[0]!;

beforeAll(async () => {
  w = await createChatWorld({
    admins: [`root@${HOST}`],
    presence: (world) => {
      store = createPresenceStore({ db: world.world.database.db });
      presence = presenceIn(world, { store, announcePauseMs: 1 });
      return presence.handler;
    },
  });
  gw = w.domain;
  const { accounts } = w.world;
  const registered = await accounts.register(`alice@${HOST}`, "alice");
  await accounts.register(`bob@${HOST}`, "bob");
  await accounts.register(`root@${HOST}`, "root");
  first = registered.addresses[0]!.address;
  second = (await accounts.newAddress(registered.user.id)).address;
  await w.world.pay(first, btc("1"));
  await w.world.mine(1);
  await w.world.scan();
  [alice, bob, dave] = await Promise.all([w.user("alice"), w.user("bob"), w.user("dave")]);
  for (const u of [alice, bob, dave]) {
    // Roster pushes go to resources that asked for the roster (RFC 6121 §2.1.6).
    await u.iq(xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:roster" })));
    await goOnline(u);
  }
}, 120_000);

afterAll(async () => {
  await w?.close();
});

/**
 * Sends `stanza`, awaits `expected` presences back, then pings the gateway;
 * returns every presence that arrived meanwhile (so extra ones show too).
 */
async function presencesAfter(user: User, stanza: Element, expected = 0): Promise<Element[]> {
  const seen = new Set(user.received);
  const fresh = () => user.received.filter((s) => !seen.has(s) && s.is("presence"));
  await user.send(stanza);
  if (expected > 0) {
    await user.waitFor(() => fresh().length >= expected, `${expected} presences`);
  }
  await user.iq(xml("iq", { type: "get", to: gw }, xml("ping", { xmlns: "urn:xmpp:ping" })));
  return user.received.filter((s) => !seen.has(s) && s.is("presence"));
}

/** The server turns an accepted subscription into a roster push (RFC 6121 §3.1.6). */
function rosterPush(user: User, contact: string, subscription: string, seen: Set<Element>) {
  return user.waitFor((s) => {
    const item = s.getChild("query", "jabber:iq:roster")?.getChild("item");
    return (
      !seen.has(s) &&
      s.is("iq") &&
      item?.attrs.jid === contact &&
      item.attrs.subscription === subscription
    );
  }, `a roster push of ${contact} with subscription ${subscription}`);
}

/** Sends a presence and awaits the available presence `from` sends back. */
async function presenceBack(user: User, stanza: Element, from: string): Promise<Element> {
  const seen = new Set(user.received);
  const back = user.waitFor(
    (s) => !seen.has(s) && s.is("presence") && s.attrs.from === from && s.attrs.type === undefined,
    `a presence from ${from}`,
  );
  await user.send(stanza);
  return back;
}

const status = (s: Element | undefined) => s?.getChildText("status") ?? undefined;
const from = (list: Element[], who: string) => list.filter((s) => s.attrs.from === who);

describe("subscriptions", () => {
  it("to the gateway are accepted from anyone; registered users also get its presence", async () => {
    let seen = new Set(dave.received);
    await dave.send(xml("presence", { to: gw, type: "subscribe" }));
    await rosterPush(dave, gw, "to", seen);
    const toDave = await dave.waitFor((s) => !seen.has(s) && s.attrs.type === "subscribed");
    expect(toDave.attrs.from).toBe(gw);
    await dave.iq(xml("iq", { type: "get", to: gw }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    const presences = dave.received.filter((s) => !seen.has(s) && s.is("presence"));
    expect(presences.map((s) => s.attrs.type)).toEqual(["subscribed"]);
    seen = new Set(alice.received);
    const hello = await presenceBack(alice, xml("presence", { to: gw, type: "subscribe" }), gw);
    await rosterPush(alice, gw, "to", seen);
    expect(status(hello)).toBe("hello alice, balance 1 BTC");
  });

  it("to an address or user JID need registration", async () => {
    const { jids } = w.gateway.component;
    for (const to of [jids.addressJid(first), jids.usernameJid("alice")]) {
      for (const type of ["subscribe", "probe"]) {
        const seen = new Set(dave.received);
        await dave.send(xml("presence", { to, type }));
        const error = await dave.waitFor((s) => !seen.has(s) && s.attrs.type === "error");
        expect(error.attrs.from).toBe(to);
        expect(errorOf(error)).toMatchObject({ condition: "registration-required" });
      }
    }
  });

  it("an address shows its owner its share of what they received, others nothing", async () => {
    const jids = w.gateway.component.jids;
    const [one, two] = [jids.addressJid(first), jids.addressJid(second)];
    const seen = new Set(alice.received);
    const own = await presenceBack(alice, xml("presence", { to: one, type: "subscribe" }), one);
    await rosterPush(alice, one, "to", seen);
    expect(status(own)).toBe("your address: 100% of what you have received arrived here");
    const other = await presenceBack(alice, xml("presence", { to: two, type: "probe" }), two);
    expect(status(other)).toMatch(/^your address: 0%/);
    const bobs = await presenceBack(bob, xml("presence", { to: one, type: "subscribe" }), one);
    expect(status(bobs)).toBeUndefined();
    const photo = bobs.getChild("x", "vcard-temp:x:update")?.getChildText("photo");
    expect(photo).toMatch(/^[0-9a-f]{40}$/);
  });

  it("a user JID shows the balance to that user only", async () => {
    const aliceJid = w.gateway.component.jids.usernameJid("alice");
    const own = await presenceBack(
      alice,
      xml("presence", { to: aliceJid, type: "probe" }),
      aliceJid,
    );
    expect(status(own)).toBe("alice: balance 1 BTC");
    const bobs = await presenceBack(
      bob,
      xml("presence", { to: aliceJid, type: "probe" }),
      aliceJid,
    );
    expect(status(bobs)).toBeUndefined();
    const root = await w.user("root");
    await goOnline(root);
    const admins = await presenceBack(
      root,
      xml("presence", { to: aliceJid, type: "probe" }),
      aliceJid,
    );
    expect(status(admins)).toBe("alice: balance 1 BTC");
    const seen = new Set(bob.received);
    await bob.send(xml("presence", { to: `nobody@${gw}`, type: "probe" }));
    const nobody = await bob.waitFor((s) => !seen.has(s) && s.attrs.type === "error");
    expect(errorOf(nobody).condition).toBe("item-not-found");
  });

  it("a user JID naming no one is not found, in the probe's language, else the user's", async () => {
    const probe = async (u: User, lang?: string) => {
      const seen = new Set(u.received);
      const attrs = { to: `nobody@${gw}`, type: "probe", ...(lang ? { "xml:lang": lang } : {}) };
      await u.send(xml("presence", attrs));
      const reply = await u.waitFor((s) => !seen.has(s) && s.attrs.type === "error");
      return {
        ...errorOf(reply),
        lang: reply.getChild("error")?.getChild("text")?.attrs["xml:lang"],
      };
    };
    const english = { condition: "item-not-found", text: "No such user here", lang: "en" };
    const french = {
      condition: "item-not-found",
      text: "Aucun utilisateur de ce nom ici",
      lang: "fr",
    };
    expect(await probe(bob)).toMatchObject(english);
    expect(await probe(bob, "fr")).toMatchObject(french);
    // Prosody stamps stanzas with its stream's xml:lang ("en"): a language we
    // do not speak lets the stored one answer.
    expect(await probe(bob, "de")).toMatchObject(english);
    await w.world.accounts.setLanguage(jid(bob), "fr");
    try {
      expect(await probe(bob, "de")).toMatchObject(french);
      expect(await probe(bob, "en")).toMatchObject(english);
    } finally {
      await w.world.accounts.setLanguage(jid(bob), null);
    }
  });

  it("unsubscribe gets unsubscribed", async () => {
    const one = w.gateway.component.jids.addressJid(first);
    const seen = new Set(bob.received);
    await bob.send(xml("presence", { to: one, type: "unsubscribe" }));
    await rosterPush(bob, one, "none", seen);
  });

  it("unavailable and error presences, and unregistered users' presences, get nothing", async () => {
    expect(await presencesAfter(dave, xml("presence", { to: gw }))).toEqual([]);
    expect(await presencesAfter(dave, xml("presence", { to: gw, type: "unavailable" }))).toEqual(
      [],
    );
    expect(await presencesAfter(bob, xml("presence", { to: gw, type: "error" }))).toEqual([]);
    expect(await store.isOnline(jid(dave))).toBe(false);
  });
});

describe("online resources", () => {
  it("the first available resource brings every presence, the last one leaving unavailables", async () => {
    const jids = w.gateway.component.jids;
    const came = await presencesAfter(alice, xml("presence", { to: gw }), 3);
    expect(came.map((s) => s.attrs.from).sort()).toEqual(
      [gw, jids.addressJid(first), jids.addressJid(second)].sort(),
    );
    expect(await store.isOnline(jid(alice))).toBe(true);
    // The same resource again (say, to an address): nothing new.
    expect(await presencesAfter(alice, xml("presence", { to: jids.addressJid(first) }))).toEqual(
      [],
    );
    const left = await presencesAfter(alice, xml("presence", { to: gw, type: "unavailable" }), 3);
    expect(left.map((s) => s.attrs.type)).toEqual(["unavailable", "unavailable", "unavailable"]);
    expect(from(left, gw)).toHaveLength(1);
    expect(await store.isOnline(jid(alice))).toBe(false);
  });

  it("the store counts resources per user", async () => {
    expect(await store.arrive("erin@example.org", "a")).toBe("first");
    expect(await store.arrive("erin@example.org", "b")).toBe("another");
    expect(await store.arrive("erin@example.org", "a")).toBe("again");
    expect(await store.leave("erin@example.org", "a")).toBe(false);
    expect(await store.leave("erin@example.org", "x")).toBe(false);
    expect(await store.leave("erin@example.org", "b")).toBe(true);
    expect(await store.isOnline("erin@example.org")).toBe(false);
  });
});

describe("start-up and shutdown", () => {
  it("announce probes every registered user and sends their presences", async () => {
    // Probes are answered by the user's server, never delivered: the hello shows.
    const seen = new Set(bob.received);
    await presence.announce();
    const hello = await bob.waitFor(
      (s) => !seen.has(s) && status(s)?.startsWith("hello bob") === true,
    );
    expect(hello.attrs.from).toBe(gw);
  });

  it("goodbye sends unavailable with a status from the gateway and each address", async () => {
    await presencesAfter(alice, xml("presence", { to: gw }), 3);
    const seen = new Set(alice.received);
    await presence.goodbye();
    await alice.waitFor(
      (s) =>
        !seen.has(s) &&
        s.attrs.type === "unavailable" &&
        s.attrs.from === w.gateway.component.jids.addressJid(second),
    );
    const byes = alice.received.filter((s) => !seen.has(s) && s.attrs.type === "unavailable");
    expect(byes).toHaveLength(3);
    expect(byes.every((s) => status(s) === "The gateway is shutting down; back soon.")).toBe(true);
  });

  it("with another gateway process serving the domain: who is online is kept, no goodbye said", async () => {
    await presencesAfter(alice, xml("presence", { to: gw }));
    expect(await store.isOnline(jid(alice))).toBe(true);
    const left: string[] = [];
    const shared = presenceIn(w, {
      store,
      announcePauseMs: 1,
      peers: {
        alone: async () => false,
        leave: async () => {
          left.push("left"); // another stays: its goodbye is not this one's to say
        },
        leads: async () => true,
      },
    });
    const seen = new Set(alice.received);
    await shared.announce();
    expect(await store.isOnline(jid(alice))).toBe(true);
    await shared.goodbye();
    expect(left).toEqual(["left"]);
    await alice.iq(xml("iq", { type: "get", to: gw }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    const byes = alice.received.filter((s) => !seen.has(s) && s.attrs.type === "unavailable");
    expect(byes).toEqual([]);
  });

  it("with another gateway process leading, starting up announces nothing", async () => {
    const follower = presenceIn(w, {
      store,
      announcePauseMs: 1,
      peers: { alone: async () => false, leave: async () => {}, leads: async () => false },
    });
    const seen = new Set(alice.received);
    await follower.announce();
    // A ping answered after the announcement: anything it sent has arrived before.
    await alice.iq(xml("iq", { type: "get", to: gw }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    expect(alice.received.filter((s) => !seen.has(s) && s.name === "presence")).toEqual([]);
    // The leader's announcement reaches alice: the same call, leading.
    const leader = presenceIn(w, { store, announcePauseMs: 1 });
    await leader.announce();
    await alice.waitFor((s) => !seen.has(s) && s.name === "presence" && s.attrs.from === gw);
  });

  it("a new announcement (after a reconnection) replaces one still running", async () => {
    const slow = presenceIn(w, { store, announceBatch: 1, announcePauseMs: 3_600_000 });
    const first = slow.announce();
    const seen = new Set(alice.received);
    // Under way: the first user has been announced, the hour's pause begun.
    await alice.waitFor((s) => !seen.has(s) && status(s)?.startsWith("hello") === true);
    const second = slow.announce();
    await first; // ends now, not in an hour
    await slow.goodbye();
    await second;
  });

  it("goodbye cuts a long start-up announcement short and waits for it to end", async () => {
    // An hour between users: only goodbye can end it.
    const slow = presenceIn(w, { store, announceBatch: 1, announcePauseMs: 3_600_000 });
    const [firstMember, ...others] = await w.services.directory.members();
    const clients = new Map([
      [`alice@${HOST}`, alice],
      [`bob@${HOST}`, bob],
    ]);
    const firstClient = clients.get(firstMember!.jid)!;
    const seen = new Map([...clients].map(([j, u]) => [j, new Set(u.received)]));
    let ended = false;
    const announcing = slow.announce().then(() => {
      ended = true;
    });
    await firstClient.waitFor(
      (s) => !seen.get(firstMember!.jid)!.has(s) && status(s)?.startsWith("hello") === true,
    );
    await slow.goodbye();
    expect(ended).toBe(true);
    await announcing;
    // Anything the announcement sent reached its users before this ping's answer.
    for (const member of others) {
      const u = clients.get(member.jid);
      if (!u) continue;
      await u.iq(xml("iq", { type: "get", to: gw }, xml("ping", { xmlns: "urn:xmpp:ping" })));
      const hellos = u.received.filter(
        (s) => !seen.get(member.jid)!.has(s) && status(s)?.startsWith("hello") === true,
      );
      expect(hellos).toEqual([]);
    }
  });
});

describe("entity capabilities (XEP-0115)", () => {
  /** The `<c/>` of a presence, and the hash recomputed from what disco#info says at node#ver and without a node. */
  async function check(user: User, presence: Element) {
    const c = presence.getChild("c", NS_CAPS);
    expect(c?.attrs).toMatchObject({ hash: "sha-1", node: CAPS_NODE });
    const ver = c!.attrs.ver!;
    const ask = async (node?: string) => {
      const reply = await user.iq(
        xml(
          "iq",
          { type: "get", to: presence.attrs.from },
          xml("query", { xmlns: NS_DISCO_INFO, node }),
        ),
      );
      const q = reply.getChild("query", NS_DISCO_INFO);
      expect(q, reply.toString()).toBeDefined();
      return q!;
    };
    for (const q of [await ask(`${CAPS_NODE}#${ver}`), await ask()]) {
      const identities = q.getChildren("identity").map((i) => ({
        category: i.attrs.category!,
        type: i.attrs.type!,
        name: i.attrs.name!,
        ...(i.attrs["xml:lang"] ? { "xml:lang": i.attrs["xml:lang"] } : {}),
      }));
      const features = q.getChildren("feature").map((f) => f.attrs.var!);
      expect(features).toContain("http://jabber.org/protocol/commands");
      expect(capsVer(identities, features)).toBe(ver);
    }
    return ver;
  }

  it("every available presence carries the hash of its sender's disco#info", async () => {
    const jids = w.gateway.component.jids;
    const gateway = await presenceBack(alice, xml("presence", { to: gw, type: "probe" }), gw);
    const address = jids.addressJid(first);
    const fromAddress = await presenceBack(
      alice,
      xml("presence", { to: address, type: "probe" }),
      address,
    );
    const aliceJid = jids.usernameJid("alice");
    const fromUser = await presenceBack(
      alice,
      xml("presence", { to: aliceJid, type: "probe" }),
      aliceJid,
    );
    const vers = [
      await check(alice, gateway),
      await check(alice, fromAddress),
      await check(alice, fromUser),
    ];
    expect(new Set(vers).size).toBe(3); // the gateway, an address and a user each say something else
    // Another user learns the same of alice's JID, though its disco#info is not theirs to see.
    const bobsView = await presenceBack(
      bob,
      xml("presence", { to: aliceJid, type: "probe" }),
      aliceJid,
    );
    const reply = await bob.iq(
      xml(
        "iq",
        { type: "get", to: aliceJid },
        xml("query", { xmlns: NS_DISCO_INFO, node: `${CAPS_NODE}#${vers[2]}` }),
      ),
    );
    expect(bobsView.getChild("c", NS_CAPS)?.attrs.ver).toBe(vers[2]);
    expect(reply.attrs.type).toBe("result");
    const stale = await bob.iq(
      xml(
        "iq",
        { type: "get", to: aliceJid },
        xml("query", { xmlns: NS_DISCO_INFO, node: `${CAPS_NODE}#stale=` }),
      ),
    );
    expect(errorOf(stale).condition).toBe("forbidden");
  });

  it("matches XEP-0115's own worked example", () => {
    // XEP-0115 §5.2: the simple example's identity and features give this hash.
    const identities = [{ category: "client", type: "pc", name: "Exodus 0.9.1" }];
    const features = [
      "http://jabber.org/protocol/caps",
      "http://jabber.org/protocol/disco#info",
      "http://jabber.org/protocol/disco#items",
      "http://jabber.org/protocol/muc",
    ];
    expect(capsVer(identities, features)).toBe("QgayPKawpkPSDYmwT/WM94uAlu0=");
  });
});
