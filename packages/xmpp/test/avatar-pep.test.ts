/**
 * XEP-0084 avatars on address JIDs through a real Prosody: the metadata
 * and data nodes, their SHA-1 against the vCard PHOTO and the presence
 * hash, the metadata event on coming online, and the refusals.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NS_VCARD_UPDATE } from "../src/avatar.js";
import {
  NS_AVATAR_DATA,
  NS_AVATAR_METADATA,
  NS_PUBSUB,
  NS_PUBSUB_ERRORS,
  NS_PUBSUB_EVENT,
  pngSize,
} from "../src/avatar-pep.js";
import { NS_DISCO_INFO } from "../src/disco.js";
import { NS_VCARD } from "../src/vcard.js";
import { type ChatWorld, createChatWorld } from "./chat-world.js";
import { connectUser, type Element, type User, xml } from "./client.js";
import { errorOf } from "./helpers.js";
import { goOnline, HOST } from "./world.js";

vi.setConfig({ testTimeout: 20_000 });

let w: ChatWorld;
let alice: User;
let bob: User;
let first: string;
let second: string;

beforeAll(async () => {
  w = await createChatWorld({ presence: true });
  const registered = await w.world.accounts.register(`alice@${HOST}`, "alice");
  await w.world.accounts.register(`bob@${HOST}`, "bob");
  first = registered.addresses[0]!.address;
  second = (await w.world.accounts.newAddress(registered.user.id)).address;
  [alice, bob] = await Promise.all([w.user("alice"), w.user("bob")]);
}, 120_000);
afterAll(async () => {
  await w?.close();
});

const jidOf = (address: string) => w.gateway.component.jids.addressJid(address);
const sha1 = (data: Buffer) => createHash("sha1").update(data).digest("hex");

const itemsGet = (u: User, to: string, node: string, ...ids: string[]) =>
  u.iq(
    xml(
      "iq",
      { type: "get", to },
      xml(
        "pubsub",
        { xmlns: NS_PUBSUB },
        xml("items", { node }, ...ids.map((id) => xml("item", { id }))),
      ),
    ),
  );

async function itemOf(u: User, to: string, node: string, ...ids: string[]): Promise<Element> {
  const reply = await itemsGet(u, to, node, ...ids);
  expect(reply.attrs.type, reply.toString()).toBe("result");
  const items = reply.getChild("pubsub", NS_PUBSUB)!.getChild("items")!;
  expect(items.attrs.node).toBe(node);
  expect(items.getChildren("item")).toHaveLength(1);
  return items.getChild("item")!;
}

async function vcardPhoto(u: User, to: string): Promise<Buffer> {
  const reply = await u.iq(xml("iq", { type: "get", to }, xml("vCard", { xmlns: NS_VCARD })));
  const binval = reply.getChild("vCard", NS_VCARD)!.getChild("PHOTO")!.getChildText("BINVAL")!;
  return Buffer.from(binval, "base64");
}

describe("an address's avatar nodes", () => {
  it("the data is the vCard photo, its item id and the metadata id its SHA-1", async () => {
    const photo = await vcardPhoto(bob, jidOf(first));
    const data = await itemOf(bob, jidOf(first), NS_AVATAR_DATA);
    const bytes = Buffer.from(data.getChildText("data", NS_AVATAR_DATA)!, "base64");
    expect(bytes.equals(photo)).toBe(true);
    expect(data.attrs.id).toBe(sha1(photo));

    const meta = await itemOf(bob, jidOf(first), NS_AVATAR_METADATA);
    const info = meta.getChild("metadata", NS_AVATAR_METADATA)!.getChild("info")!;
    const { width, height } = pngSize(photo);
    expect(width).toBeGreaterThan(20);
    expect(info.attrs).toMatchObject({
      id: sha1(photo),
      bytes: String(photo.length),
      type: "image/png",
      width: String(width),
      height: String(height),
    });
    expect(meta.attrs.id).toBe(sha1(photo));
  });

  it("by item id: the current hash is served, another is not found", async () => {
    const photo = await vcardPhoto(alice, jidOf(second));
    const data = await itemOf(alice, jidOf(second), NS_AVATAR_DATA, sha1(photo));
    expect(data.attrs.id).toBe(sha1(photo));
    const stale = await itemsGet(alice, jidOf(second), NS_AVATAR_DATA, "0".repeat(40));
    expect(errorOf(stale).condition).toBe("item-not-found");
  });

  it("other nodes, the gateway and user JIDs have no avatar node", async () => {
    for (const [to, node] of [
      [jidOf(first), "urn:xmpp:microblog:0"],
      [w.domain, NS_AVATAR_METADATA],
      [`alice@${w.domain}`, NS_AVATAR_DATA],
    ] as const) {
      const reply = await itemsGet(bob, to, node);
      expect(errorOf(reply).condition, `${to} ${node}`).toBe("item-not-found");
    }
  });

  it("only reading items is offered: other requests and publishing are refused", async () => {
    const subscriptions = await bob.iq(
      xml(
        "iq",
        { type: "get", to: jidOf(first) },
        xml("pubsub", { xmlns: NS_PUBSUB }, xml("subscriptions")),
      ),
    );
    expect(errorOf(subscriptions).condition).toBe("feature-not-implemented");
    const unsupported = subscriptions.getChild("error")!.getChild("unsupported", NS_PUBSUB_ERRORS);
    expect(unsupported?.attrs.feature).toBe("retrieve-items");

    const item = xml("item", { id: "x" }, xml("data", { xmlns: NS_AVATAR_DATA }, "AAAA"));
    const publish = await bob.iq(
      xml(
        "iq",
        { type: "set", to: jidOf(first) },
        xml("pubsub", { xmlns: NS_PUBSUB }, xml("publish", { node: NS_AVATAR_DATA }, item)),
      ),
    );
    expect(errorOf(publish).condition).toBe("feature-not-implemented");
    const after = await itemOf(bob, jidOf(first), NS_AVATAR_DATA);
    expect(after.attrs.id).not.toBe("x");
  });

  it("disco#info lists pubsub on an address only", async () => {
    const features = async (to: string) => {
      const query = xml("query", { xmlns: NS_DISCO_INFO });
      const reply = await bob.iq(xml("iq", { type: "get", to }, query));
      return reply
        .getChild("query", NS_DISCO_INFO)!
        .getChildren("feature")
        .map((f) => f.attrs.var);
    };
    expect(await features(jidOf(first))).toContain(NS_PUBSUB);
    expect(await features(w.domain)).not.toContain(NS_PUBSUB);
    expect(await features(`alice@${w.domain}`)).not.toContain(NS_PUBSUB);
  });
});

describe("the metadata event", () => {
  const eventFrom = (u: User, address: string) =>
    u.waitFor(
      (s) =>
        s.is("message") &&
        s.attrs.from === jidOf(address) &&
        s.getChild("event", NS_PUBSUB_EVENT)?.getChild("items")?.attrs.node === NS_AVATAR_METADATA,
      `the avatar event of ${address}`,
    );
  const photoHash = (presence: Element) =>
    presence.getChild("x", NS_VCARD_UPDATE)?.getChildText("photo");

  it("coming online brings one per address, with the hash of the address's presence", async () => {
    const presences = [first, second].map((a) =>
      alice.waitFor((s) => s.is("presence") && s.attrs.from === jidOf(a), `presence of ${a}`),
    );
    const events = [eventFrom(alice, first), eventFrom(alice, second)];
    await goOnline(alice);
    // Not yet subscribed to anything on the gateway: a directed presence tells it.
    await alice.send(xml("presence", { to: w.domain }));
    for (const [i, event] of (await Promise.all(events)).entries()) {
      expect(event.attrs.type).toBe("headline");
      expect(event.attrs.to).toBe(alice.jid);
      const item = event.getChild("event", NS_PUBSUB_EVENT)!.getChild("items")!.getChild("item")!;
      const info = item.getChild("metadata", NS_AVATAR_METADATA)!.getChild("info")!;
      const presence = await presences[i]!;
      expect(info.attrs.id).toBe(photoHash(presence));
      expect(item.attrs.id).toBe(info.attrs.id);
    }
  });

  it("another device coming online gets them at its own JID; a known one sending presence again does not", async () => {
    const phone = await connectUser({
      service: w.prosody.c2sService,
      domain: HOST,
      username: "alice",
      password: "alice-pw",
      resource: "phone",
    });
    try {
      const events = [eventFrom(phone, first), eventFrom(phone, second)];
      await goOnline(phone);
      await phone.send(xml("presence", { to: w.domain }));
      for (const event of await Promise.all(events)) expect(event.attrs.to).toBe(phone.jid);
      // The laptop again (its status changed): it has them already.
      const seen = new Set(alice.received);
      await alice.send(xml("presence", { to: w.domain }, xml("show", {}, "away")));
      await alice.iq(
        xml("iq", { type: "get", to: w.domain }, xml("ping", { xmlns: "urn:xmpp:ping" })),
      );
      const again = alice.received.filter(
        (s) => !seen.has(s) && s.getChild("event", NS_PUBSUB_EVENT) !== undefined,
      );
      expect(again).toEqual([]);
    } finally {
      await phone.stop();
    }
  });

  it("subscribing to an address brings it too", async () => {
    await goOnline(bob);
    const event = eventFrom(bob, first);
    await bob.send(xml("presence", { to: jidOf(first), type: "subscribe" }));
    const item = (await event).getChild("event", NS_PUBSUB_EVENT)!.getChild("items")!;
    const photo = await vcardPhoto(bob, jidOf(first));
    expect(item.getChild("item")!.attrs.id).toBe(sha1(photo));
  });
});
