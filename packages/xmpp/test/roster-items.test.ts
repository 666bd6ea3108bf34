/**
 * Roster items without prompts (XEP-0356) through a real Prosody running
 * Debian's mod_privilege, in both namespace versions; and, on a Prosody
 * without it, the subscription requests of before — which a forged
 * advertisement cannot turn off.
 */
import { btc } from "@bitcoim/accounts/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NS_PRIVILEGE_1, NS_PRIVILEGE_2 } from "../src/privilege.js";
import { GATEWAY_NAME, NS_ROSTER, ROSTER_GROUP } from "../src/roster-items.js";
import { ask, bodyOf, type ChatWorld, createChatWorld } from "./chat-world.js";
import { type Element, type User, xml } from "./client.js";
import { goOnline } from "./world.js";

vi.setConfig({ testTimeout: 20_000 });

const bare = (u: User) => u.jid.split("/")[0]!;

/** The user's roster items on our domain, as their server keeps them. */
async function rosterOf(u: User, domain: string) {
  const reply = await u.iq(xml("iq", { type: "get" }, xml("query", { xmlns: NS_ROSTER })));
  return reply
    .getChild("query", NS_ROSTER)!
    .getChildren("item")
    .filter((i) => (i.attrs.jid ?? "").endsWith(domain))
    .map((i) => ({
      jid: i.attrs.jid,
      name: i.attrs.name,
      subscription: i.attrs.subscription,
      groups: i.getChildren("group").map((g) => g.text()),
    }))
    .sort((a, b) => (a.jid ?? "").localeCompare(b.jid ?? ""));
}

/** A fresh user, who asked for their roster (pushes go to such resources) and is online. */
async function newcomer(w: ChatWorld, name: string): Promise<User> {
  const u = await w.user(name);
  await u.iq(xml("iq", { type: "get" }, xml("query", { xmlns: NS_ROSTER })));
  await goOnline(u);
  return u;
}

const presenceFrom = (u: User, from: string, type?: string) =>
  u.waitFor(
    (s) => s.is("presence") && s.attrs.from === from && s.attrs.type === type,
    `a ${type ?? "available"} presence from ${from}`,
  );
const subscriptionRequests = (u: User, domain: string) =>
  u.received.filter(
    (s: Element) =>
      s.is("presence") &&
      ["subscribe", "unsubscribe"].includes(s.attrs.type ?? "") &&
      (s.attrs.from ?? "").endsWith(domain),
  );

describe.each([2, 1] as const)(
  "a server granting roster access (urn:xmpp:privilege:%i)",
  (version) => {
    let w: ChatWorld;
    beforeAll(async () => {
      w = await createChatWorld({
        privilege: { roster: "both", version },
        presence: true,
      });
    }, 120_000);
    afterAll(async () => {
      await w?.close();
    });
    const jidOf = (address: string) => w.gateway.component.jids.addressJid(address);

    it("registering puts a named item and one per address in a Bitcoin group, unasked", async () => {
      const alice = await newcomer(w, "alice");
      const gatewayPresence = presenceFrom(alice, w.domain);
      expect(bodyOf(await ask(alice, w.domain, "register alice"))).toMatch(/alice/);
      const user = await w.world.accounts.byJid(bare(alice));
      const [address] = await w.world.accounts.addresses(user!.id);
      // The user's presence, asked for by a probe, brings the gateway's with its balance.
      const shown = await gatewayPresence;
      expect(shown.getChildText("status")).toMatch(/0/);
      await presenceFrom(alice, jidOf(address!.address));
      expect(await rosterOf(alice, w.domain)).toEqual(
        [
          { jid: w.domain, name: GATEWAY_NAME, subscription: "both", groups: [ROSTER_GROUP] },
          {
            jid: jidOf(address!.address),
            name: address!.address,
            subscription: "both",
            groups: [ROSTER_GROUP],
          },
        ].sort((a, b) => a.jid.localeCompare(b.jid)),
      );
      expect(subscriptionRequests(alice, w.domain)).toEqual([]);
    });

    it("a new address comes in as an item too, with its presence", async () => {
      const alice = await w.user("alice");
      const before = (await rosterOf(alice, w.domain)).length;
      const reply = bodyOf(await ask(alice, w.domain, "address new"));
      const address = /\b(bcrt1[a-z0-9]+)\b/.exec(reply)![1]!;
      await presenceFrom(alice, jidOf(address));
      const items = await rosterOf(alice, w.domain);
      expect(items).toHaveLength(before + 1);
      expect(items.find((i) => i.jid === jidOf(address))).toMatchObject({
        name: address,
        subscription: "both",
        groups: [ROSTER_GROUP],
      });
      expect(subscriptionRequests(alice, w.domain)).toEqual([]);
    });

    it("unregistering with money is refused and the items stay; without, they go", async () => {
      const bob = await newcomer(w, "bob");
      await ask(bob, w.domain, "register bob");
      const user = (await w.world.accounts.byJid(bare(bob)))!;
      const [address] = await w.world.accounts.addresses(user.id);
      await w.world.pay(address!.address, btc("0.001"));
      await w.world.mine(1);
      await w.world.scan();
      const items = await rosterOf(bob, w.domain);
      expect(items).toHaveLength(2);
      expect(bodyOf(await ask(bob, w.domain, "unregister"))).toMatch(/^Error: /);
      expect(await rosterOf(bob, w.domain)).toEqual(items);

      const carol = await newcomer(w, "carol");
      await ask(carol, w.domain, "register carol");
      expect(await rosterOf(carol, w.domain)).toHaveLength(2);
      expect(bodyOf(await ask(carol, w.domain, "unregister"))).not.toMatch(/^Error: /);
      expect(await rosterOf(carol, w.domain)).toEqual([]);
      expect(subscriptionRequests(carol, w.domain)).toEqual([]);
    });

    it("an item the user removed already: the server refuses, the gateway falls back to unsubscribing", async () => {
      const dave = await newcomer(w, "dave");
      await ask(dave, w.domain, "register dave");
      const removed = xml("item", { jid: w.domain, subscription: "remove" });
      await dave.iq(xml("iq", { type: "set" }, xml("query", { xmlns: NS_ROSTER }, removed)));
      const fallback = w.log.waitFor((e) => /falling back to subscriptions/.test(e.message));
      expect(bodyOf(await ask(dave, w.domain, "unregister"))).not.toMatch(/^Error: /);
      expect((await fallback).fields.jid).toBe(bare(dave));
      // The address's item went; the gateway's was gone (its unsubscribe finds nothing to end).
      expect(await rosterOf(dave, w.domain)).toEqual([]);
    });
  },
);

describe("a server without mod_privilege", () => {
  let w: ChatWorld;
  beforeAll(async () => {
    w = await createChatWorld({ presence: true });
  }, 120_000);
  afterAll(async () => {
    await w?.close();
  });

  it("gets subscription requests, even after a user forged an advertisement", async () => {
    const mallory = await newcomer(w, "mallory");
    for (const ns of [NS_PRIVILEGE_2, NS_PRIVILEGE_1]) {
      const perm = xml("perm", { access: "roster", type: "both" });
      await mallory.send(xml("message", { to: w.domain }, xml("privilege", { xmlns: ns }, perm)));
    }
    const subscribe = presenceFrom(mallory, w.domain, "subscribe");
    const reply = await ask(mallory, w.domain, "register mallory");
    expect(bodyOf(reply)).toMatch(/mallory/);
    await subscribe;
    expect(await rosterOf(mallory, w.domain)).toEqual([]);
  });
});
