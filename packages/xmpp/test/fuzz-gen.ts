/**
 * Seeded generators of malformed and odd stanzas for the fuzz test (issue 5,
 * "Bad input"). A tiny PRNG (mulberry32) keeps every run identical for one
 * seed, so a failure can be replayed; fast-check is not a dependency here.
 *
 * Each case says what RFC 6120 / RFC 6121 require of the answer ("one": IQ
 * get/set, exactly one result or error; "none": error stanzas, IQ results
 * and errors, unavailable presences; "any": the handler decides) and whether
 * a conforming server could deliver it at all (`deliverable`: valid JIDs on
 * our domain, only XML 1.0 characters, within Prosody's c2s size limit):
 * only then must replies be well-formed and handlers fail gracefully.
 */
import { parseAmount } from "@bitcoim/wallet";
import { type Element, xml } from "../src/xml.js";
import {
  BAD_AMOUNTS,
  CODES,
  type FuzzJids,
  invalidUsernames,
  ODD_TEXT,
  SQL,
  senders,
  targets,
  UNDELIVERABLE_TEXT,
  UNKNOWN_NS,
  WORDS,
} from "./fuzz-pools.js";

export type { FuzzJids } from "./fuzz-pools.js";

export type Rng = () => number;

/** mulberry32: 32-bit state, good enough to spread cases, and replayable. */
export function seeded(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bareLower = (jid: string) => jid.split("/")[0]!.toLowerCase();

export const pick = <T>(rng: Rng, items: readonly T[]): T =>
  items[Math.floor(rng() * items.length)]!;
const chance = (rng: Rng, p: number) => rng() < p;

export type Expectation = "one" | "none" | "any";

/** Prosody's default c2s_stanza_size_limit (bytes as sent, `>` unescaped): bigger never reaches us from a client. */
export const CLIENT_STANZA_LIMIT = 256 * 1024;
/** Prosody's default component_stanza_size_limit: a bigger stanza from us closes our stream. */
export const COMPONENT_STANZA_LIMIT = 512 * 1024;

/** The bytes a client needs to send `stanza` (XML 1.0 allows a raw `>` in text). */
export const wireSize = (stanza: Element) =>
  Buffer.byteLength(stanza.toString().replaceAll("&gt;", ">"));

export interface FuzzCase {
  readonly stanza: Element;
  readonly expect: Expectation;
  /** Could a conforming server deliver it (valid JIDs, XML 1.0 characters, size)? */
  readonly deliverable: boolean;
  readonly label: string;
}

/** Whether `text` has a character XML 1.0 forbids (§2.2 Char), lone surrogates included. */
export function hasXmlIllegal(text: string): boolean {
  for (const char of text) {
    const c = char.codePointAt(0)!;
    const legal =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      c >= 0x10000;
    if (!legal) return true;
  }
  return false;
}

function oddText(rng: Rng, deliverable: boolean): string {
  const pools = deliverable ? [ODD_TEXT, SQL, WORDS, BAD_AMOUNTS] : [UNDELIVERABLE_TEXT];
  const parts: string[] = [];
  const n = 1 + Math.floor(rng() * 4);
  for (let i = 0; i < n; i++) parts.push(pick(rng, pick(rng, pools)));
  return parts.join(pick(rng, [" ", "", "\t", "  ", "\n"]));
}

/** A chat body: a (mangled) command with odd arguments, junk, or something huge. */
export function body(rng: Rng, jids: FuzzJids, deliverable: boolean): string {
  const r = rng();
  if (r < 0.02) return pick(rng, ["x", "pay ", "help ", "💸"]).repeat(1_048_576 / 4); // ≈1 MB
  if (r < 0.04) return `pay ${"9".repeat(100_000)}`;
  if (r < 0.05) return pick(rng, [">", "<", "&", '"', "'"]).repeat(140_000); // escaping makes `>` 4× as long
  if (!deliverable) return `${pick(rng, WORDS)} ${oddText(rng, false)} ${oddText(rng, true)}`;
  if (r < 0.35) {
    const to = pick(rng, [
      jids.payee,
      jids.ownAddress,
      jids.legacyAddress,
      "nobody",
      "",
      "bcrt1qbad",
    ]);
    return `${pick(rng, ["pay", "p", "PAY", "payer", "ｐａｙ"])} ${pick(rng, BAD_AMOUNTS)}${pick(
      rng,
      ["", " sat", " btc", " mBTC", ` ${to}`, ` ${oddText(rng, true)}`],
    )}`;
  }
  if (r < 0.5)
    return `${pick(rng, ["cancel", "confirm", "c", "annuler", "confirmer"])} ${pick(rng, CODES)}${chance(rng, 0.3) ? ` ${pick(rng, SQL)}` : ""}`;
  if (r < 0.6)
    return `${pick(rng, ["history", "hist", "historique"])} ${pick(rng, [...BAD_AMOUNTS, "1", "2", "999999999999", jids.payee, "with", "-1"])}`;
  if (r < 0.7)
    return pick(rng, [
      jids.ownAddress,
      jids.legacyAddress,
      jids.ownAddress.toUpperCase(),
      ` ${jids.legacyAddress} `,
      `${jids.legacyAddress}x`,
      "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
      "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
    ]);
  return oddText(rng, true);
}

/**
 * A registered user's body must not legitimately change the ledger: no
 * `address new` (a new address) and no `pay` with an amount that parses (an
 * order). Anything else stays.
 */
export function harmless(text: string): string {
  const words = text.trim().split(/\s+/u);
  const first = (words[0] ?? "").normalize("NFKC").toLowerCase();
  const prefixOf = (w: string) => first !== "" && w.startsWith(first);
  if (["address", "adresse"].some(prefixOf) && words.length > 1) return words[0]!;
  if (["pay", "payer"].some(prefixOf)) {
    for (const amount of [words[1], `${words[1]} ${words[2]}`]) {
      try {
        if (amount !== undefined) parseAmount(amount);
      } catch {
        continue;
      }
      return `${words[0]} NaN`;
    }
  }
  return text;
}

/** IQ payloads: every namespace we serve, wrong element names, forms with invalid usernames. */
function iqPayloads(rng: Rng, jids: FuzzJids, deliverable: boolean): Element[] {
  const text = () => oddText(rng, deliverable);
  const username = pick(rng, [...invalidUsernames(jids), text()]);
  const all = [
    xml("ping", { xmlns: "urn:xmpp:ping" }),
    xml("ping", { xmlns: "urn:xmpp:ping" }, xml("extra", {}, text())),
    xml("query", { xmlns: "jabber:iq:version" }),
    xml("query", { xmlns: "jabber:iq:last" }),
    xml("vCard", { xmlns: "vcard-temp" }),
    xml("vcard", { xmlns: "vcard-temp" }),
    xml("query", {
      xmlns: "http://jabber.org/protocol/disco#info",
      node: pick(rng, ["", "users", "addresses", text(), "x".repeat(5000)]),
    }),
    xml("query", {
      xmlns: "http://jabber.org/protocol/disco#items",
      node: pick(rng, ["", "users", "addresses", "commands", text()]),
    }),
    xml("query", { xmlns: "jabber:iq:gateway" }),
    xml(
      "query",
      { xmlns: "jabber:iq:gateway" },
      xml("prompt", {}, pick(rng, [text(), jids.ownAddress, jids.payee, "", "nobody"])),
    ),
    xml("query", { xmlns: "jabber:iq:gateway" }, xml("prompt", {}), xml("prompt", {}, "x")),
    xml("query", { xmlns: "jabber:iq:register" }),
    xml("query", { xmlns: "jabber:iq:register" }, xml("username", {}, username)),
    xml("query", { xmlns: "jabber:iq:register" }, xml("password", {}, text())),
    xml(
      "query",
      { xmlns: "jabber:iq:register" },
      xml(
        "x",
        { xmlns: "jabber:x:data", type: pick(rng, ["submit", "form", "cancel", "", "result"]) },
        xml(
          "field",
          { var: "FORM_TYPE" },
          xml("value", {}, pick(rng, ["jabber:iq:register", "urn:other", ""])),
        ),
        xml("field", { var: "username" }, xml("value", {}, username)),
        xml(
          "field",
          { var: "language" },
          xml("value", {}, pick(rng, ["en", "fr", "xx-invalid-tag-too-long", text()])),
        ),
      ),
    ),
    xml("x", { xmlns: "jabber:x:data", type: "submit" }),
    xml("query", { xmlns: pick(rng, UNKNOWN_NS) }),
    xml(pick(rng, ["foo", "query", "x", "ping"]), { xmlns: pick(rng, UNKNOWN_NS) }, text()),
    xml("query", {}),
  ];
  return [pick(rng, all)];
}

/**
 * Registration sets that could legitimately register, rename or unregister
 * someone are left out: `<remove/>`, and a username accounts might accept
 * from a sender with a dot (dotless senders are refused whatever they send).
 */
export function risky(payload: Element, from: string, jids: FuzzJids): boolean {
  if (!payload.is("query", "jabber:iq:register")) return false;
  if (payload.getChild("remove")) return true;
  if (!from.split("/")[0]!.includes(".")) return false;
  const field =
    payload.getChild("username") ??
    payload
      .getChild("x", "jabber:x:data")
      ?.getChildren("field")
      .find((f) => f.attrs.var === "username");
  if (!field) return false;
  const value = field.is("username") ? field.text() : (field.getChildText("value") ?? "");
  return !invalidUsernames(jids).includes(value);
}

/** What every generated stanza shares: its attributes, sender, and whether its JIDs are deliverable. */
interface Draft {
  readonly rng: Rng;
  readonly jids: FuzzJids;
  readonly from: string;
  readonly attrs: Record<string, string>;
  readonly jidsOk: boolean;
}

const ERROR_NS = "urn:ietf:params:xml:ns:xmpp-stanzas";
const errorChild = (condition: string) =>
  xml("error", { type: "cancel" }, xml(condition, { xmlns: ERROR_NS }));

function finish(d: Draft, stanza: Element, expect: Expectation, label: string): FuzzCase {
  return {
    stanza,
    expect,
    deliverable: d.jidsOk && wireSize(stanza) <= CLIENT_STANZA_LIMIT,
    label,
  };
}

export function fuzzCase(rng: Rng, jids: FuzzJids, index: number): FuzzCase {
  const deliverable = chance(rng, 0.9);
  const s = senders(jids);
  const t = targets(jids);
  const from =
    deliverable || chance(rng, 0.5) ? pick(rng, s.deliverable) : pick(rng, s.undeliverable);
  const to =
    deliverable || chance(rng, 0.5) ? pick(rng, t.deliverable) : pick(rng, t.undeliverable);
  const jidsOk = deliverable && s.deliverable.includes(from) && t.deliverable.includes(to);
  const id = chance(rng, 0.9) ? `fz${index}` : pick(rng, ["", "'\"<>", "x".repeat(300)]);
  const lang = chance(rng, 0.2)
    ? pick(rng, ["fr", "en", "de", "", "zz-ZZ", "fr-CA", "x".repeat(100)])
    : undefined;
  const attrs = { from, to, id, ...(lang !== undefined ? { "xml:lang": lang } : {}) };
  const draft: Draft = { rng, jids, from, attrs, jidsOk };
  const r = rng();
  if (r < 0.35) return iqCase(draft);
  if (r < 0.75) return messageCase(draft);
  return presenceCase(draft);
}

/** RFC 6120 §8.2.3: get/set get exactly one answer, result/error none; zero or two payloads too. */
function iqCase(d: Draft): FuzzCase {
  const { rng, jids, jidsOk } = d;
  const type = pick(rng, ["get", "set", "get", "set", "result", "error", undefined, "bogus"]);
  let payloads = chance(rng, 0.12) ? [] : iqPayloads(rng, jids, jidsOk);
  if (chance(rng, 0.1)) payloads = [...payloads, ...iqPayloads(rng, jids, jidsOk)];
  payloads = payloads.filter((p) => !risky(p, d.from, jids));
  if (type === "error") payloads.push(errorChild("service-unavailable"));
  const stanza = xml(
    "iq",
    { ...d.attrs, ...(type ? { type } : {}) },
    ...payloads,
    chance(rng, 0.1) ? oddText(rng, jidsOk) : null,
  );
  const expect: Expectation =
    type === "get" || type === "set"
      ? "one"
      : type === "result" || type === "error"
        ? "none"
        : "any";
  const what = payloads.map((p) => `${p.name}@${p.getNS() ?? ""}`).join("+") || "(empty)";
  return finish(d, stanza, expect, `iq ${type ?? "(no type)"} ${what}`);
}

/** Chat bodies (one reply each), corrections, extra bodies; errors, groupchat, headlines. */
function messageCase(d: Draft): FuzzCase {
  const { rng, jids, jidsOk } = d;
  const type = pick(rng, [
    "chat",
    "chat",
    "chat",
    "normal",
    undefined,
    "error",
    "groupchat",
    "headline",
    "bogus",
  ]);
  const registered = [jids.registered, jids.admin].some((j) => bareLower(j) === bareLower(d.from));
  const written = chance(rng, 0.08) ? undefined : body(rng, jids, jidsOk);
  const text = registered && written !== undefined ? harmless(written) : written;
  const extras = [
    chance(rng, 0.1) ? xml("replace", { xmlns: "urn:xmpp:message-correct:0", id: "old" }) : null,
    chance(rng, 0.05) ? xml("body", {}, "second body") : null,
    chance(rng, 0.05) ? xml("body", { "xml:lang": "fr" }, "aide") : null,
    chance(rng, 0.05) ? xml("subject", {}, oddText(rng, jidsOk)) : null,
    chance(rng, 0.05) ? xml("body", {}, xml("b", {}, "nested")) : null,
    chance(rng, 0.05) ? xml("x", { xmlns: pick(rng, UNKNOWN_NS) }, oddText(rng, jidsOk)) : null,
    type === "error" ? errorChild("item-not-found") : null,
  ];
  const stanza = xml(
    "message",
    { ...d.attrs, ...(type ? { type } : {}) },
    text === undefined ? null : xml("body", {}, text),
    ...extras,
  );
  // A chat body gets one reply (the command's, or an error message); RFC 6120 §8.3.1: errors none.
  const command =
    [undefined, "chat", "normal"].includes(type) &&
    (stanza.getChildText("body") ?? "").trim() !== "";
  const expect: Expectation = type === "error" ? "none" : command ? "one" : "any";
  return finish(d, stanza, expect, `message ${type ?? "(no type)"}`);
}

/** Presences of every type; RFC 6121 §4.5.3 and RFC 6120 §8.3.1: unavailable and error get nothing. */
function presenceCase(d: Draft): FuzzCase {
  const { rng, jidsOk } = d;
  const type = pick(rng, [
    undefined,
    "unavailable",
    "error",
    "subscribe",
    "subscribed",
    "unsubscribe",
    "unsubscribed",
    "probe",
    "bogus",
  ]);
  const children = [
    chance(rng, 0.3) ? xml("status", {}, oddText(rng, jidsOk)) : null,
    chance(rng, 0.2)
      ? xml("show", {}, pick(rng, ["away", "dnd", "chat", "xa", "bogus", ""]))
      : null,
    chance(rng, 0.1)
      ? xml("priority", {}, pick(rng, ["-129", "128", "NaN", "1e309", "0x10", "5"]))
      : null,
    chance(rng, 0.1)
      ? xml("x", { xmlns: "vcard-temp:x:update" }, xml("photo", {}, oddText(rng, jidsOk)))
      : null,
    type === "error" ? errorChild("remote-server-not-found") : null,
  ];
  const stanza = xml("presence", { ...d.attrs, ...(type ? { type } : {}) }, ...children);
  const expect: Expectation = type === "error" || type === "unavailable" ? "none" : "any";
  return finish(d, stanza, expect, `presence ${type ?? "available"}`);
}
