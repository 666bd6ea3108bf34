/**
 * The gateway's plugins through a real Prosody: features are registered
 * once, in order, start once the component is online and stop in rounds
 * (draining, last words, letting go), once; a message or presence handler is
 * owned by one feature only; presence follows the Bitcoin node's
 * availability as the services carry it.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAvailability } from "../src/availability.js";
import type { Feature } from "../src/feature.js";
import { presences } from "../src/features/presences.js";
import { xml as gxml } from "../src/xml.js";
import { type Element, type User, xml } from "./client.js";
import { createXmppWorld, goOnline, HOST, type XmppWorld } from "./world.js";

const calls: string[] = [];
let w: XmppWorld;
let alice: User;
const bitcoin = createAvailability();

/** A feature recording its hooks, and whether the stream was up when it started. */
const recorder =
  (name: string): Feature =>
  ({ component }) => {
    calls.push(`registered ${name}`);
    return {
      started() {
        const probe = gxml("presence", { to: `nobody@${HOST}`, type: "probe" });
        calls.push(`started ${name}`);
        component.send(probe).then(
          () => calls.push(`${name} could send`),
          () => calls.push(`${name} could not send`),
        );
      },
      draining: () => calls.push(`draining ${name}`),
      async stopping() {
        calls.push(`stopping ${name}`);
      },
      stopped: () => calls.push(`stopped ${name}`),
    };
  };

/** A feature whose shutdown fails: the others must still shut down. */
const failing: Feature = () => ({
  draining() {
    throw new Error("cannot drain");
  },
  async stopping() {
    throw new Error("no last words");
  },
});

beforeAll(async () => {
  w = await createXmppWorld({
    bitcoin,
    features: [recorder("a"), failing, presences(), recorder("b")],
  });
  await w.world.accounts.register(`alice@${HOST}`, "alice");
  alice = await w.user("alice");
  await goOnline(alice);
  const seen = new Set(alice.received);
  await alice.send(xml("presence", { to: w.domain }));
  await alice.waitFor((s) => !seen.has(s) && s.is("presence") && s.attrs.from === w.domain);
}, 60_000);

afterAll(async () => {
  await w?.close();
});

it("registers each feature once, in order, and starts them once online", async () => {
  expect(calls.slice(0, 4)).toEqual(["registered a", "registered b", "started a", "started b"]);
  await expect
    .poll(() => calls.filter((c) => c.endsWith("send")))
    .toEqual(["a could send", "b could send"]);
});

it("refuses a second handler for messages or presences, keeping the first", async () => {
  const { component } = w.gateway;
  expect(() => component.handle("presence", () => undefined)).toThrow(
    "the gateway already has a presence handler",
  );
  // Still the presences feature's: a probe is answered with the gateway's status.
  const seen = new Set(alice.received);
  await alice.send(xml("presence", { to: w.domain, type: "probe" }));
  const answer = await alice.waitFor(
    (s) => !seen.has(s) && s.is("presence") && s.attrs.from === w.domain,
    "the gateway's presence",
  );
  expect(answer.getChildText("status")).toMatch(/^hello alice/);
});

it("resends the gateway's presence when the Bitcoin node goes and comes back", async () => {
  const status = (s: Element) => s.getChildText("status") ?? "";
  const next = (match: (text: string) => boolean, what: string) => {
    const seen = new Set(alice.received);
    return alice.waitFor(
      (s) => !seen.has(s) && s.is("presence") && s.attrs.from === w.domain && match(status(s)),
      what,
    );
  };
  const gone = next((text) => /unreachable/.test(text), "the presence saying so");
  expect(bitcoin.set(false)).toBe(true);
  expect(bitcoin.set(false)).toBe(false); // no change, no news
  await gone;
  const back = next((text) => text.startsWith("hello alice") && !/unreachable/.test(text), "back");
  bitcoin.set(true);
  await back;
});

it("stops in rounds: draining, every feature's last words, then every feature lets go", async () => {
  const before = calls.length;
  expect(await w.gateway.drain(1000)).toBe(true);
  await Promise.all([w.gateway.stop(), w.gateway.stop()]); // once, however many ask
  expect(calls.slice(before)).toEqual([
    "draining a",
    "draining b",
    "stopping a",
    "stopping b",
    "stopped a",
    "stopped b",
  ]);
  await w.gateway.stop();
  expect(calls.length).toBe(before + 6);
  // The failing feature was logged, twice, and held nobody up.
  const failures = w.log.entries.filter(
    (e) => e.message === "a gateway feature failed to shut down",
  );
  expect(failures.map((e) => e.fields.step)).toEqual(["draining", "stopping"]);
});

it("closes again when a feature fails to start, letting go without last words", async () => {
  const seen: string[] = [];
  const broken: Feature = () => ({
    started() {
      throw new Error("cannot start");
    },
    async stopping() {
      seen.push("stopping");
    },
    stopped: () => seen.push("stopped"),
  });
  await expect(createXmppWorld({ features: [broken] })).rejects.toThrow("cannot start");
  expect(seen).toEqual(["stopped"]);
});
