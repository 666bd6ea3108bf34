/**
 * Registering by chat, for clients without an XEP-0077 form: real users on
 * a real Prosody; the same rules and refusals as the form, and a refusal
 * changes nothing.
 */
import { btc } from "@bitcoim/accounts/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ask, bodyOf, type ChatWorld, createChatWorld } from "./chat-world.js";
import type { User } from "./client.js";
import { goOnline, HOST } from "./world.js";

vi.setConfig({ testTimeout: 20_000 });

let w: ChatWorld;
let gateway: string;
const bare = (name: string) => `${name}@${HOST}`;
const fromGateway =
  (type: string) => (s: { is(n: string): boolean; attrs: Record<string, string> }) =>
    s.is("presence") && s.attrs.type === type && s.attrs.from === gateway;

beforeAll(async () => {
  w = await createChatWorld();
  gateway = w.domain;
  await w.world.accounts.register(bare("bob"), "bob");
}, 120_000);
afterAll(async () => {
  await w?.close();
});

describe("an unregistered sender", () => {
  it("gets a chat reply saying how to register, never an error stanza", async () => {
    const dave = await w.user("dave");
    const reply = await ask(dave, gateway, "balance");
    expect(reply.attrs.type).toBe("chat");
    expect(reply.getChild("error")).toBeUndefined();
    expect(bodyOf(reply)).toMatch(/^You are not registered .*type: register <username>/);
    expect(await w.world.accounts.byJid(bare("dave"))).toBeUndefined();
  });

  it("is refused what the form refuses, with the form's texts, and nothing is stored", async () => {
    const dave = await w.user("dave");
    const cases: [string, RegExp][] = [
      ["register", /^Error: Type register followed by the username/],
      ["register a.b", /^Error: "a\.b" contains a dot/],
      ["register bob", /^Error: The username "bob" is already taken/],
      ["register dave x_1!", /^Error: "x_1!" is not a language tag/],
      ["register dave en extra", /^Error: Type register followed by the username/],
      ["unregister", /^Error: You are not registered \(any more\)/],
    ];
    for (const [body, expected] of cases) {
      expect(bodyOf(await ask(dave, gateway, body))).toMatch(expected);
    }
    expect(await w.world.accounts.byJid(bare("dave"))).toBeUndefined();
    expect(await w.world.accounts.byUsername("dave")).toBeUndefined();
  });

  it("registers by chat: a reply naming the address, then its subscription and the gateway's", async () => {
    const erin = await w.user("erin");
    await goOnline(erin); // subscription requests go to available resources (RFC 6121 §3.1.3)
    const reply = await ask(erin, gateway, "Register erin");
    const user = await w.world.accounts.byJid(bare("erin"));
    expect(user?.username).toBe("erin");
    const [address] = await w.world.accounts.addresses(user!.id);
    expect(bodyOf(reply)).toBe(
      `Registered as erin. Your deposit address is ${address!.address}: it is in your contacts now. Type help for the commands.`,
    );
    const fromAddress = await erin.waitFor(
      (s) =>
        s.is("presence") &&
        s.attrs.type === "subscribe" &&
        s.attrs.from === w.gateway.component.jids.addressJid(address!.address),
      "the address's subscription request",
    );
    const fromGw = await erin.waitFor(
      fromGateway("subscribe"),
      "the gateway's subscription request",
    );
    expect(erin.received.indexOf(reply)).toBeLessThan(erin.received.indexOf(fromAddress));
    expect(erin.received.indexOf(fromAddress)).toBeLessThan(erin.received.indexOf(fromGw));
    expect(bodyOf(await ask(erin, gateway, "balance"))).toMatch(/^Balance: 0 BTC/);
  });

  it("in French, with the French word and a language, is answered in French", async () => {
    const fanny = await w.user("fanny");
    const reply = await ask(fanny, gateway, "inscrire fanny fr", { lang: "fr" });
    expect(bodyOf(reply)).toMatch(/^Inscrit sous le nom fanny\./);
    expect((await w.world.accounts.byJid(bare("fanny")))?.language).toBe("fr");
  });
});

describe("a registered user", () => {
  let erin: User;
  beforeAll(async () => {
    erin = await w.user("erin");
  });

  it("renames by writing register again; a taken name changes nothing", async () => {
    expect(bodyOf(await ask(erin, gateway, "register erina"))).toBe("Your username is now erina.");
    expect(bodyOf(await ask(erin, gateway, "register bob"))).toMatch(/already taken/);
    expect((await w.world.accounts.byJid(bare("erin")))?.username).toBe("erina");
  });

  it("cannot unregister while holding money, and can once it is gone", async () => {
    const user = (await w.world.accounts.byJid(bare("erin")))!;
    const bob = (await w.world.accounts.byJid(bare("bob")))!;
    const [address] = await w.world.accounts.addresses(user.id);
    await w.world.pay(address!.address, btc("0.001"));
    await w.world.mine(1);
    await w.world.scan();
    expect(bodyOf(await ask(erin, gateway, "unregister"))).toMatch(/^Error: You still have money/);
    expect((await w.world.accounts.byJid(bare("erin")))?.unregisteredAt).toBeNull();

    await w.world.accounts.transfer({
      fromUserId: user.id,
      toUserId: bob.id,
      amount: btc("0.001"),
      idempotencyKey: "erin-empties",
    });
    const goodbye = await ask(erin, gateway, "unregister");
    expect(bodyOf(goodbye)).toBe("Goodbye! You are no longer registered with bitcoIM.");
    expect(await w.world.accounts.byJid(bare("erin"))).toBeUndefined();
    // And what they write next is answered with how to register again.
    expect(bodyOf(await ask(erin, gateway, "balance"))).toMatch(/^You are not registered/);
  });
});
