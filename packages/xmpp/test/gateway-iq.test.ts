/** XEP-0100 contact addressing (`jabber:iq:gateway`, BEHAVIOUR.md §3) through a real Prosody. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { NS_GATEWAY } from "../src/gateway-iq.js";
import { type Element, type User, xml } from "./client.js";
import { errorOf } from "./helpers.js";
import { createXmppWorld, HOST, type XmppWorld } from "./world.js";

let w: XmppWorld;
let eve: User;
beforeAll(async () => {
  w = await createXmppWorld();
  await w.world.accounts.register(`alice@${HOST}`, "Alice");
  eve = await w.user("eve");
}, 60_000);
afterAll(async () => {
  await w?.close();
});

const query = (...children: Element[]) => xml("query", { xmlns: NS_GATEWAY }, ...children);
const ask = (entered: string, to = w.domain) =>
  eve.iq(xml("iq", { type: "set", to }, query(xml("prompt", {}, entered))));
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

it("an empty prompt is a bad-request", async () => {
  expect(errorOf(await ask("  "))).toMatchObject({ condition: "bad-request" });
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
