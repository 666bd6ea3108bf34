/// <reference path="./xmpp-component.d.ts" />
/**
 * Every stanza addressed to the gateway's domain goes through one
 * dispatcher: IQ get/set to the IQ router, messages and presences to their
 * handlers. Whatever a handler throws becomes an error stanza in one place,
 * `failure()`, unless the stanza may not be answered (RFC 6120 §8.3.1,
 * §8.2.3).
 *
 * The dispatcher runs after @xmpp/iq's callee middleware, which has set
 * `ctx.element` for a well-formed get/set and turns what we return into the
 * one reply (an `<error/>` element into an error, anything else truthy into
 * a result) — so an IQ is answered exactly once.
 */
import type { Middleware } from "@xmpp/component";
import { isAnswerable, StanzaError } from "./errors.js";
import type { IqRoutes } from "./iq-router.js";
import { type Entity, JidError, type JidModel } from "./jids.js";
import type { Logger } from "./log.js";
import type { Shutdown } from "./shutdown.js";
import { stanzaTexts } from "./stanza-texts.js";
import { type Element, xml } from "./xml.js";

export interface StanzaContext {
  readonly stanza: Element;
  /** The sender's JID, as the server stamped it. */
  readonly from: string;
  /** The JID the stanza was sent to, on our domain. */
  readonly to: string;
  /** What `to` names on the gateway's domain. */
  readonly entity: Entity;
  /** The stanza's `xml:lang`, if any. */
  readonly lang: string | undefined;
}

/** Handles a message or presence; returns the stanzas to send back, in order. */
export type StanzaHandler = (
  ctx: StanzaContext,
) => readonly Element[] | undefined | Promise<readonly Element[] | undefined>;

export interface StanzaHandlers {
  readonly message?: StanzaHandler | undefined;
  readonly presence?: StanzaHandler | undefined;
}

export function createDispatcher({
  jids,
  iq,
  handlers,
  send,
  log,
  languages,
  shutdown,
}: {
  jids: JidModel;
  iq: IqRoutes;
  handlers: StanzaHandlers;
  send: (stanza: Element) => Promise<void>;
  log: Logger;
  /** The configured language order, for the dispatcher's own error texts; English by default. */
  languages?: readonly string[] | undefined;
  /** Tracks running work; once draining, messages and IQs are refused (shutdown.ts). */
  shutdown?: Shutdown | undefined;
}): Middleware {
  /**
   * The one place where an error becomes an RFC 6120 §8.3 stanza error. Its
   * own texts follow the stanza's `xml:lang`, else the configured order: the
   * user's stored language would cost a lookup on the error path.
   */
  function failure(error: unknown, stanza: Element): StanzaError {
    if (error instanceof StanzaError) return error;
    const t = stanzaTexts({ stanzaLang: stanza.attrs["xml:lang"], configured: languages });
    if (error instanceof JidError) {
      const text = t.badJid(error.code, error.facts);
      return new StanzaError("item-not-found", text, { lang: t.lang, cause: error });
    }
    log.error({ err: error, stanza: stanza.toString() }, "stanza handler failed");
    return new StanzaError("internal-server-error", t.internalError, {
      lang: t.lang,
      cause: error,
    });
  }

  function context(stanza: Element): StanzaContext {
    const from = stanza.attrs.from ?? "";
    const to = stanza.attrs.to ?? jids.domain;
    const lang = stanza.attrs["xml:lang"];
    return { stanza, from, to, entity: jids.classify(to), lang };
  }

  async function answerIq(stanza: Element, element: Element): Promise<Element | true> {
    try {
      const type = stanza.attrs.type === "set" ? "set" : "get";
      const lang = stanza.attrs["xml:lang"];
      const handler = iq.resolve(type, element, { stanzaLang: lang, configured: languages });
      const reply = await handler({ ...context(stanza), element, type });
      return reply ?? true; // true: an empty result
    } catch (error) {
      return failure(error, stanza).toElement();
    }
  }

  async function answerOther(stanza: Element, handler: StanzaHandler | undefined): Promise<void> {
    let replies: readonly Element[] | undefined;
    try {
      if (!handler) return;
      replies = await handler(context(stanza));
    } catch (error) {
      if (!isAnswerable(stanza)) return;
      const { from, to, id } = stanza.attrs;
      const attrs = { from: to, to: from, id, type: "error" };
      replies = [xml(stanza.name, attrs, failure(error, stanza).toElement())];
    }
    for (const reply of replies ?? []) await send(reply);
  }

  /** While shutting down: try again later (RFC 6120 §8.3.3.19). */
  function refusal(stanza: Element): StanzaError {
    const t = stanzaTexts({ stanzaLang: stanza.attrs["xml:lang"], configured: languages });
    return new StanzaError("service-unavailable", t.shuttingDown, { lang: t.lang });
  }
  const refuse: StanzaHandler = ({ stanza }) => {
    throw refusal(stanza);
  };

  function answer(ctx: {
    stanza: Element;
    element?: Element;
  }): Promise<Element | true | undefined> | undefined {
    const { stanza } = ctx;
    const closing = shutdown?.draining === true;
    if (stanza.name === "iq") {
      if (!ctx.element || !isAnswerable(stanza)) return undefined;
      if (closing) return Promise.resolve(refusal(stanza).toElement());
      return answerIq(stanza, ctx.element);
    }
    if (stanza.name === "message") {
      // Only commands are refused: chat states and receipts carry no body.
      const command = closing && (stanza.getChildText("body") ?? "").trim() !== "";
      return answerOther(stanza, command ? refuse : handlers.message).then(() => undefined);
    }
    // Presences still count while draining: who left must be forgotten.
    if (stanza.name === "presence") {
      return answerOther(stanza, handlers.presence).then(() => undefined);
    }
    return undefined;
  }

  return (ctx) => {
    const work = answer(ctx);
    return work && shutdown ? shutdown.track(work) : work;
  };
}
