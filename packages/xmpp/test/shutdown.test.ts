/**
 * Graceful shutdown through a real Prosody: a command still running when
 * the gateway starts draining finishes and replies; commands and IQs that
 * arrive meanwhile are told to try again later (service-unavailable), in
 * the stanza's language; draining gives up after its time limit.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createGatewayComponent, type GatewayComponent } from "../src/component.js";
import { createShutdown } from "../src/shutdown.js";
import { version } from "../src/version.js";
import { xml as gxml } from "../src/xml.js";
import { connectUser, type Element, type User, xml } from "./client.js";
import { errorOf, memoryLogger } from "./helpers.js";
import { createProsody, type Prosody } from "./prosody.js";

let prosody: Prosody;
let gateway: GatewayComponent;
let alice: User;
let domain: string;
/** Commands wait here until the test lets them go. */
const held: (() => void)[] = [];
let started: () => void = () => {};

beforeAll(async () => {
  prosody = await createProsody();
  domain = prosody.componentDomain;
  await prosody.register("alice", "example.localhost", "alice-pw");
  await prosody.start();
  gateway = createGatewayComponent({
    service: prosody.componentService,
    domain,
    password: prosody.componentSecret,
    network: "regtest",
    log: memoryLogger(),
    handlers: {
      async message({ stanza }) {
        const body = stanza.getChildText("body");
        if (body === null) return undefined; // as the chat handler: nothing to do
        await new Promise<void>((resolve) => {
          held.push(resolve);
          started();
        });
        const reply = { to: stanza.attrs.from, from: stanza.attrs.to, type: "chat" };
        return [gxml("message", reply, gxml("body", {}, `done: ${body}`))];
      },
    },
  });
  version({ iq: gateway.iq });
  await gateway.start();
  alice = await connectUser({
    service: prosody.c2sService,
    domain: "example.localhost",
    username: "alice",
    password: "alice-pw",
  });
}, 30_000);

afterAll(async () => {
  await alice?.stop();
  await gateway?.stop();
  await prosody?.close();
});

const chat = (body: string, lang?: string) =>
  xml(
    "message",
    { to: domain, type: "chat", ...(lang ? { "xml:lang": lang } : {}) },
    xml("body", {}, body),
  );
const fresh = (what: string, match: (s: Element) => boolean) => {
  const seen = new Set(alice.received);
  return alice.waitFor((s) => !seen.has(s) && match(s), what);
};

it("lets a running command reply, refuses new ones meanwhile, then reports all done", async () => {
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  const done = fresh("the running command's reply", (s) => s.getChildText("body") === "done: pay");
  await alice.send(chat("pay"));
  await running;

  const drained = gateway.drain(10_000);
  const refused = fresh("a refusal", (s) => s.is("message") && s.attrs.type === "error");
  await alice.send(chat("confirm", "fr"));
  expect(errorOf(await refused)).toMatchObject({
    type: "cancel",
    condition: "service-unavailable",
    text: "La passerelle redémarre ; réessayez dans un instant",
  });
  const iq = fresh("the IQ's error", (s) => s.is("iq") && s.attrs.type === "error");
  await alice.send(
    xml("iq", { type: "get", to: domain, id: "v1" }, xml("query", { xmlns: "jabber:iq:version" })),
  );
  expect(errorOf(await iq)).toMatchObject({
    condition: "service-unavailable",
    text: "The gateway is restarting; please try again in a moment",
  });

  // A chat state carries no command: it is not refused (nor answered). The
  // ping after it is refused by the gateway too, so its error comes after
  // anything the gateway said about the chat state.
  const before = alice.received.length;
  await alice.send(
    xml(
      "message",
      { to: domain, type: "chat", id: "typing" },
      xml("composing", { xmlns: "http://jabber.org/protocol/chatstates" }),
    ),
  );
  await alice
    .iq(xml("iq", { type: "get", to: domain }, xml("ping", { xmlns: "urn:xmpp:ping" })))
    .catch(() => {});
  expect(alice.received.slice(before).filter((s) => s.attrs.id === "typing")).toEqual([]);

  // Work started by a command (a notification) keeps the drain waiting too.
  let notified: () => void = () => {};
  void gateway.track(
    new Promise<void>((resolve) => {
      notified = resolve;
    }),
  );
  expect(held).toHaveLength(1); // the refused command never reached the handler
  held.shift()!();
  await done;
  let finished = false;
  void drained.then(() => {
    finished = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  expect(finished).toBe(false);
  notified();
  expect(await drained).toBe(true);
  expect((await done).attrs.from).toBe(domain);
});

it("gives up after its time limit when a command does not finish", async () => {
  const shutdown = createShutdown();
  const never = shutdown.track(new Promise<void>(() => {}));
  const quick = shutdown.track(Promise.resolve("ok"));
  expect(await quick).toBe("ok"); // tracking hands the work back unchanged
  expect(await shutdown.drain(50)).toBe(false);
  expect(shutdown.draining).toBe(true);
  void never;
  const empty = createShutdown();
  expect(await empty.drain(50)).toBe(true);
});
