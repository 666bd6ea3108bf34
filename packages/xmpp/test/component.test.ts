/**
 * The component core end to end: a real Prosody, the gateway connected to
 * it as a component, and a real user asking it things over c2s.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGatewayComponent, type GatewayComponent } from "../src/component.js";
import { StanzaError } from "../src/errors.js";
import { last } from "../src/last.js";
import { ping } from "../src/ping.js";
import { version } from "../src/version.js";
import { xml as gxml } from "../src/xml.js";
import { connectUser, type Element, type User, xml } from "./client.js";
import { errorOf, memoryLogger } from "./helpers.js";
import { createProsody, type Prosody } from "./prosody.js";

const ADDRESS_NODE = "mrcdrcybb6j1vrfbwm5hemdjz73fwdbc8r-wz166"; // a regtest address
const UPTIME_S = 42;
const manifest = new URL("../package.json", import.meta.url);
const PACKAGE_VERSION = (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;

let prosody: Prosody;
let gateway: GatewayComponent;
let alice: User;
let domain: string;
const log = memoryLogger();

beforeAll(async () => {
  prosody = await createProsody();
  domain = prosody.componentDomain;
  await prosody.register("alice", "example.localhost", "alice-pw");
  await prosody.register("carol", "localhost", "carol-pw");
  await prosody.start();
  gateway = createGatewayComponent({
    service: prosody.componentService,
    domain,
    password: prosody.componentSecret,
    network: "regtest",
    log,
    handlers: {
      message({ stanza, entity }) {
        const body = stanza.getChildText("body");
        if (body === "fail") throw new StanzaError("not-acceptable", "Nothing is acceptable");
        if (body === "crash") throw new Error("secret internals");
        if (body !== "echo") return undefined;
        const reply = { to: stanza.attrs.from, from: stanza.attrs.to, type: "chat" };
        return [gxml("message", reply, gxml("body", {}, `echo from ${entity.kind}`))];
      },
      presence() {
        throw new StanzaError("registration-required", "Register first");
      },
    },
  });
  version({ iq: gateway.iq });
  last({ iq: gateway.iq, startedAt: Date.now() - UPTIME_S * 1000 });
  ping({ iq: gateway.iq });
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

const get = (to: string, child: Element) => xml("iq", { type: "get", to }, child);

/** Sends `stanza`, then a ping; once the ping is answered, returns all replies to `stanza`. */
async function repliesTo(stanza: Element, id: string): Promise<Element[]> {
  stanza.attrs.id = id;
  await alice.send(stanza);
  await alice.iq(get(domain, xml("ping", { xmlns: "urn:xmpp:ping" })));
  return alice.received.filter((s) => s.attrs.id === id);
}

describe.each([
  ["the gateway", () => domain],
  ["an address", () => `${ADDRESS_NODE}@${domain}`],
])("%s answers", (_, jid) => {
  it("software version (XEP-0092)", async () => {
    const reply = await alice.iq(get(jid(), xml("query", { xmlns: "jabber:iq:version" })));
    expect(reply.attrs).toMatchObject({ type: "result", from: jid() });
    const query = reply.getChild("query", "jabber:iq:version");
    expect(query?.getChildText("name")).toBe("bitcoIM");
    expect(query?.getChildText("version")).toBe(PACKAGE_VERSION);
  });

  it("last activity: seconds since the gateway started (XEP-0012)", async () => {
    const reply = await alice.iq(get(jid(), xml("query", { xmlns: "jabber:iq:last" })));
    expect(reply.attrs.type).toBe("result");
    const seconds = Number(reply.getChild("query", "jabber:iq:last")?.attrs.seconds);
    expect(Number.isInteger(seconds)).toBe(true);
    expect(seconds).toBeGreaterThanOrEqual(UPTIME_S);
    expect(seconds).toBeLessThan(UPTIME_S + 60);
  });

  it("ping with an empty result (XEP-0199)", async () => {
    const reply = await alice.iq(get(jid(), xml("ping", { xmlns: "urn:xmpp:ping" })));
    expect(reply.attrs.type).toBe("result");
    expect(reply.children).toEqual([]);
  });
});

describe("stanzas", () => {
  it("an IQ is answered exactly once", async () => {
    const replies = await repliesTo(
      get(domain, xml("query", { xmlns: "jabber:iq:version" })),
      "v1",
    );
    expect(replies.map((r) => r.attrs.type)).toEqual(["result"]);
  });

  it("a message handler's replies are sent from the JID written to", async () => {
    const to = `${ADDRESS_NODE}@${domain}`;
    await alice.send(xml("message", { to, type: "chat" }, xml("body", {}, "echo")));
    const reply = await alice.waitFor((s) => s.getChildText("body") === "echo from address");
    expect(reply.attrs).toMatchObject({ from: to, type: "chat" });
  });

  it("a user on a dotless host reaches the gateway too", async () => {
    const carol = await connectUser({
      service: prosody.c2sService,
      domain: "localhost",
      username: "carol",
      password: "carol-pw",
    });
    try {
      const reply = await carol.iq(get(domain, xml("ping", { xmlns: "urn:xmpp:ping" })));
      expect(reply.attrs).toMatchObject({ type: "result", to: "carol@localhost/test" });
    } finally {
      await carol.stop();
    }
  });
});

/** An error's condition, text and the text's `xml:lang` (RFC 6120 §8.3.2). */
const errorIn = (reply: Element) => ({
  condition: errorOf(reply).condition,
  text: errorOf(reply).text,
  lang: reply.getChild("error")?.getChild("text")?.attrs["xml:lang"],
});

describe("errors", () => {
  it("an IQ without exactly one payload gets one bad-request", async () => {
    const replies = await repliesTo(xml("iq", { type: "get", to: domain }), "b1");
    expect(replies).toHaveLength(1);
    expect(errorOf(replies[0]!)).toMatchObject({ type: "modify", condition: "bad-request" });
  });

  it("an unknown namespace gets exactly one service-unavailable", async () => {
    const replies = await repliesTo(get(domain, xml("query", { xmlns: "urn:example:nope" })), "u1");
    expect(replies).toHaveLength(1);
    expect(errorOf(replies[0]!)).toMatchObject({
      type: "cancel",
      condition: "service-unavailable",
      text: expect.stringContaining("urn:example:nope"),
    });
  });

  it("a known namespace with an unsupported type gets feature-not-implemented", async () => {
    const set = xml(
      "iq",
      { type: "set", to: domain },
      xml("query", { xmlns: "jabber:iq:version" }),
    );
    const replies = await repliesTo(set, "f1");
    expect(replies).toHaveLength(1);
    expect(errorOf(replies[0]!)).toMatchObject({ condition: "feature-not-implemented" });
  });

  it("an IQ to an address node that is not canonical gets item-not-found", async () => {
    const to = `${ADDRESS_NODE.replace("-", "-0")}@${domain}`;
    const reply = await alice.iq(get(to, xml("ping", { xmlns: "urn:xmpp:ping" })));
    expect(errorOf(reply)).toMatchObject({ type: "cancel", condition: "item-not-found" });
    expect(errorOf(reply).text).toBe(
      "No such address here: an address has exactly one JID, and this is not its spelling",
    );
    const fr = await alice.iq(
      xml("iq", { type: "get", to, "xml:lang": "fr" }, xml("ping", { xmlns: "urn:xmpp:ping" })),
    );
    expect(errorOf(fr).text).toBe(
      "Aucune adresse de ce nom ici : une adresse a un seul JID, et ce n'est pas celui-ci",
    );
  });

  it("IQ results and errors are never answered", async () => {
    const result = xml("iq", { type: "result", to: domain });
    const condition = xml("item-not-found", { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" });
    const error = xml(
      "iq",
      { type: "error", to: domain },
      xml("error", { type: "cancel" }, condition),
    );
    expect(await repliesTo(result, "r1")).toHaveLength(0);
    expect(await repliesTo(error, "e1")).toHaveLength(0);
  });

  it("a thrown StanzaError from a message handler becomes one error message", async () => {
    const msg = xml("message", { to: domain, type: "chat" }, xml("body", {}, "fail"));
    const replies = await repliesTo(msg, "m1");
    expect(replies).toHaveLength(1);
    expect(replies[0]!.attrs).toMatchObject({ type: "error", from: domain });
    expect(errorOf(replies[0]!)).toEqual({
      type: "modify",
      condition: "not-acceptable",
      text: "Nothing is acceptable",
    });
  });

  it("any other failure is internal-server-error, logged, without its details", async () => {
    const msg = xml("message", { to: domain, type: "chat" }, xml("body", {}, "crash"));
    const [reply] = await repliesTo(msg, "m2");
    expect(errorOf(reply!)).toMatchObject({ condition: "internal-server-error" });
    expect(reply!.toString()).not.toContain("secret internals");
    expect(
      log.entries.some((e) => e.level === "error" && String(e.fields.err).includes("secret")),
    ).toBe(true);
  });

  it("error messages and unavailable presences are never answered", async () => {
    const errorMsg = xml("message", { to: domain, type: "error" }, xml("body", {}, "fail"));
    expect(await repliesTo(errorMsg, "m3")).toHaveLength(0);
    const unavailable = xml("presence", { to: domain, type: "unavailable" });
    expect(await repliesTo(unavailable, "p1")).toHaveLength(0);
    // A probe comes from the full JID; a presence error to a bare JID
    // (as a subscribe's would be) is consumed by the user's server.
    const probe = xml("presence", { to: domain, type: "probe" });
    const [refused] = await repliesTo(probe, "p2");
    expect(errorOf(refused!)).toMatchObject({ type: "auth", condition: "registration-required" });
  });
});

describe("error texts in French", () => {
  const inFrench = (stanza: Element) => {
    stanza.attrs["xml:lang"] = "fr";
    return stanza;
  };
  const versionSet = () =>
    xml("iq", { type: "set", to: domain }, xml("query", { xmlns: "jabber:iq:version" }));

  it("an unknown namespace: English by default, French for a request in French", async () => {
    const nope = () => get(domain, xml("query", { xmlns: "urn:example:nope" }));
    expect(errorIn(await alice.iq(nope()))).toEqual({
      condition: "service-unavailable",
      text: 'The namespace "urn:example:nope" is not served here',
      lang: "en",
    });
    expect(errorIn(await alice.iq(inFrench(nope())))).toEqual({
      condition: "service-unavailable",
      text: "L'espace de noms « urn:example:nope » n'est pas pris en charge ici",
      lang: "fr",
    });
  });

  it("a known namespace with an unsupported type: English by default, French when asked", async () => {
    expect(errorIn(await alice.iq(versionSet()))).toEqual({
      condition: "feature-not-implemented",
      text: "IQ set of <query/> in jabber:iq:version is not supported here",
      lang: "en",
    });
    expect(errorIn(await alice.iq(inFrench(versionSet())))).toEqual({
      condition: "feature-not-implemented",
      text: "Une requête IQ set de <query/> dans jabber:iq:version n'est pas prise en charge ici",
      lang: "fr",
    });
  });

  it("an internal-server-error follows the stanza's xml:lang, without details", async () => {
    const crash = () => xml("message", { to: domain, type: "chat" }, xml("body", {}, "crash"));
    const [english] = await repliesTo(crash(), "m4");
    expect(errorIn(english!)).toEqual({
      condition: "internal-server-error",
      text: "Something went wrong on our side",
      lang: "en",
    });
    const [french] = await repliesTo(inFrench(crash()), "m5");
    expect(errorIn(french!)).toEqual({
      condition: "internal-server-error",
      text: "Un problème est survenu de notre côté",
      lang: "fr",
    });
    expect(french!.toString()).not.toContain("secret internals");
  });

  it("a stanza language we do not speak falls back to English when none is configured", async () => {
    const nope = get(domain, xml("query", { xmlns: "urn:example:nope" }));
    nope.attrs["xml:lang"] = "de";
    expect(errorIn(await alice.iq(nope))).toMatchObject({
      text: 'The namespace "urn:example:nope" is not served here',
      lang: "en",
    });
  });
});
