/**
 * Drives the gateway's stanza handling without a network for the fuzz test:
 * the real @xmpp/component entity that `createGateway` builds (captured by
 * the test's transparent wrapper of `component()`), never started, with its
 * `send` replaced by a recorder. A stanza is emitted as the entity's parser
 * would (`"element"`), so it runs through the same middleware as in
 * production — @xmpp/iq's callee (one reply per IQ), then dispatch.ts —
 * and `deliver` returns what went out for it once everything has settled.
 *
 * `check` is the oracle: RFC 6120 §8.2.3 (an IQ get/set gets exactly one
 * result or error), §8.3.1 (an error is never answered), RFC 6121 §4.5.3
 * (an `unavailable` presence gets no answer), and well-formed replies.
 */
import { createRequire } from "node:module";
import type { Element } from "../src/xml.js";
import type { FuzzCase } from "./fuzz-gen.js";
import { COMPONENT_STANZA_LIMIT, hasXmlIllegal } from "./fuzz-gen.js";

const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

/** How `check` words a reply the server would refuse for its size (a known bug, see fuzz.test.ts). */
export const OVERSIZE = "reply bigger than Prosody's component_stanza_size_limit";

/** The component's own parser (same @xmpp/xml copy, so elements pass its `instanceof` checks). */
export const parseXml = createRequire(import.meta.url)("@xmpp/xml/lib/parse.js") as (
  text: string,
) => Element;

/** The parts of the xmpp.js entity the driver touches. */
export interface DrivenEntity {
  status: string;
  send(stanza: Element): Promise<void>;
  emit(event: string, ...args: unknown[]): boolean;
}

export interface Delivery {
  readonly replies: readonly Element[];
  /** Thrown synchronously by the entity's listeners (before any handler of ours ran). */
  readonly threw: unknown;
}

export function createDriver(entity: DrivenEntity, inflight: ReadonlySet<Promise<unknown>>) {
  const sent: Element[] = [];
  entity.status = "online";
  entity.send = async (stanza) => {
    sent.push(stanza);
  };

  /** Until the dispatcher's work, @xmpp/iq's reply and any sendAfterReply have run. */
  async function settle(): Promise<void> {
    for (let round = 0; round < 3; round++) {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  return {
    sent,
    async deliver(stanza: Element): Promise<Delivery> {
      const start = sent.length;
      let threw: unknown;
      try {
        entity.emit("element", stanza);
      } catch (error) {
        threw = error;
      }
      await settle();
      return { replies: sent.slice(start), threw };
    },
  };
}

const bareOf = (jid: string) => jid.split("/")[0]!.toLowerCase();
const domainOf = (jid: string) => {
  const bare = bareOf(jid);
  return bare.slice(bare.indexOf("@") + 1);
};

/** What is wrong with the replies to one case (empty when nothing is). */
export function check(c: FuzzCase, delivery: Delivery, domain: string): string[] {
  const problems: string[] = [];
  const { stanza } = c;
  const { replies, threw } = delivery;
  if (threw !== undefined) {
    if (c.deliverable) problems.push(`threw synchronously: ${String(threw)}`);
    return problems;
  }
  const errors = replies.filter((r) => r.attrs.type === "error");
  if (errors.length > 1) problems.push(`${errors.length} error replies`);
  const iqs = replies.filter((r) => r.name === "iq");

  if (c.expect === "one" && stanza.name === "iq") {
    if (replies.length !== 1 || iqs.length !== 1) {
      problems.push(
        `expected exactly one IQ reply, got ${replies.map((r) => r.name).join(",") || "none"}`,
      );
    } else {
      const [reply] = iqs as [Element];
      if (!["result", "error"].includes(reply.attrs.type ?? ""))
        problems.push(`IQ reply of type ${reply.attrs.type}`);
      if (reply.attrs.id !== stanza.attrs.id)
        problems.push(`IQ reply id ${reply.attrs.id} ≠ ${stanza.attrs.id}`);
    }
  }
  if (c.expect === "one" && stanza.name === "message" && replies.length !== 1) {
    problems.push(`expected one reply to a chat body, got ${replies.length}`);
  }
  if (c.expect === "none") {
    // A user's last resource leaving brings the gateway's `unavailable`s (docs/behaviour.md §6): not answers.
    const answers =
      stanza.name === "presence"
        ? replies.filter((r) => !(r.name === "presence" && r.attrs.type === "unavailable"))
        : replies;
    if (answers.length > 0)
      problems.push(`answered what must not be: ${answers.map(String).join(" ").slice(0, 300)}`);
  }
  if (stanza.name !== "iq" && iqs.length > 0) problems.push("an IQ in reply to a non-IQ");

  if (!c.deliverable) return problems;
  for (const reply of replies) problems.push(...wellFormed(reply, stanza, domain));
  return problems;
}

/** A reply the server will accept: XML 1.0, to the sender, from our domain, errors per RFC 6120 §8.3. */
function wellFormed(reply: Element, stanza: Element, domain: string): string[] {
  const problems: string[] = [];
  const text = reply.toString();
  const short = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  if (!["iq", "message", "presence"].includes(reply.name))
    problems.push(`reply is <${reply.name}/>`);
  const bytes = Buffer.byteLength(text);
  if (bytes > COMPONENT_STANZA_LIMIT) problems.push(`${OVERSIZE} (${bytes} bytes): ${short}`);
  if (hasXmlIllegal(text))
    problems.push(`reply has characters XML 1.0 forbids: ${JSON.stringify(short)}`);
  try {
    if (parseXml(text).toString() !== text)
      problems.push(`reply does not survive a parse: ${short}`);
  } catch (error) {
    problems.push(`reply does not parse (${String(error)}): ${short}`);
  }
  const from = stanza.attrs.from ?? "";
  if (reply.attrs.to === undefined || bareOf(reply.attrs.to) !== bareOf(from)) {
    // Subscription requests after a registration go to the bare JID; other replies go back to the sender.
    problems.push(`reply to ${reply.attrs.to}, not to the sender ${from}`);
  }
  if (domainOf(reply.attrs.from ?? domain) !== domain)
    problems.push(`reply from ${reply.attrs.from}, not our domain`);
  if (reply.attrs.type === "error") {
    const error = reply.getChildren("error");
    const condition = error[0]
      ?.getChildElements()
      .filter((e) => e.attrs.xmlns === NS_STANZAS && e.name !== "text");
    if (error.length !== 1 || condition?.length !== 1) problems.push(`malformed error: ${short}`);
    else if (
      !["auth", "cancel", "continue", "modify", "wait"].includes(error[0]!.attrs.type ?? "")
    ) {
      problems.push(`error of type ${error[0]!.attrs.type}`);
    }
  }
  return problems;
}
