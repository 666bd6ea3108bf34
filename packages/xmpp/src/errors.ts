/**
 * Stanza errors (RFC 6120 §8.3). A handler throws a `StanzaError`; the
 * component turns it into an error stanza in one place (component.ts).
 */
import { type Element, xml } from "./xml.js";

export const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

/** RFC 6120 §8.3.2 */
export type ErrorType = "auth" | "cancel" | "continue" | "modify" | "wait";

/** RFC 6120 §8.3.3, each with the type the RFC gives in its example. */
const CONDITIONS = {
  "bad-request": "modify",
  conflict: "cancel",
  "feature-not-implemented": "cancel",
  forbidden: "auth",
  gone: "cancel",
  "internal-server-error": "cancel",
  "item-not-found": "cancel",
  "jid-malformed": "modify",
  "not-acceptable": "modify",
  "not-allowed": "cancel",
  "not-authorized": "auth",
  "policy-violation": "modify",
  "recipient-unavailable": "wait",
  redirect: "modify",
  "registration-required": "auth",
  "remote-server-not-found": "cancel",
  "remote-server-timeout": "wait",
  "resource-constraint": "wait",
  "service-unavailable": "cancel",
  "subscription-required": "auth",
  "undefined-condition": "modify",
  "unexpected-request": "wait",
} as const satisfies Record<string, ErrorType>;

export type Condition = keyof typeof CONDITIONS;

export interface StanzaErrorOptions {
  /** Defaults to the type RFC 6120 §8.3.3 suggests for the condition. */
  readonly type?: ErrorType;
  /** Language of `text` (`xml:lang`), "en" unless said otherwise. */
  readonly lang?: string;
  /** An application-specific condition element (RFC 6120 §8.3.4). */
  readonly application?: Element;
  readonly cause?: unknown;
}

/** An error to send back as an error stanza: type, defined condition, text. */
export class StanzaError extends Error {
  override readonly name = "StanzaError";
  readonly type: ErrorType;
  readonly lang: string;
  readonly application: Element | undefined;

  constructor(
    readonly condition: Condition,
    readonly text: string,
    options: StanzaErrorOptions = {},
  ) {
    super(`${condition}: ${text}`, options.cause === undefined ? {} : { cause: options.cause });
    this.type = options.type ?? CONDITIONS[condition];
    this.lang = options.lang ?? "en";
    this.application = options.application;
  }

  /** The `<error/>` child of an error stanza (RFC 6120 §8.3.1, §8.3.2). */
  toElement(): Element {
    return xml(
      "error",
      { type: this.type },
      xml(this.condition, { xmlns: NS_STANZAS }),
      this.text ? xml("text", { xmlns: NS_STANZAS, "xml:lang": this.lang }, this.text) : null,
      this.application,
    );
  }
}

/**
 * Whether a stanza may be answered at all. RFC 6120 §8.3.1: an error stanza
 * is never answered; §8.2.3: neither is an IQ result; and an `unavailable`
 * presence gets nothing back (docs/behaviour.md §6).
 */
export function isAnswerable(stanza: Element): boolean {
  const type = stanza.attrs.type;
  if (type === "error") return false;
  if (stanza.name === "iq") return type === "get" || type === "set";
  if (stanza.name === "presence") return type !== "unavailable";
  return stanza.name === "message";
}
