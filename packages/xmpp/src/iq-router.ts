/**
 * Routes IQ get/set requests (RFC 6120 §8.2.3) to handlers by type and
 * payload (namespace + element name). A handler returns the payload of its
 * result, or nothing for an empty result, or throws a StanzaError.
 */

import { StanzaError } from "./errors.js";
import type { LanguageChoice } from "./i18n/language.js";
import type { Entity } from "./jids.js";
import { stanzaTexts } from "./stanza-texts.js";
import type { Element } from "./xml.js";

export interface IqContext {
  /** The whole `<iq/>`. */
  readonly stanza: Element;
  /** Its one payload child. */
  readonly element: Element;
  readonly type: "get" | "set";
  /** The sender's full JID, as the server stamped it. */
  readonly from: string;
  /** The JID the request was sent to, on our domain. */
  readonly to: string;
  /** What `to` names on the gateway's domain. */
  readonly entity: Entity;
  /** The stanza's `xml:lang`, if any. */
  readonly lang: string | undefined;
}

export type IqHandler = (ctx: IqContext) => Element | undefined | Promise<Element | undefined>;

export interface IqRouter {
  get(ns: string, name: string, handler: IqHandler): void;
  set(ns: string, name: string, handler: IqHandler): void;
  /** Namespaces that have a handler, e.g. for disco#info features. */
  namespaces(): string[];
}

export interface IqRoutes extends IqRouter {
  /**
   * The handler for a request; throws service-unavailable for a namespace
   * nobody handles (RFC 6120 §8.4) and feature-not-implemented for a known
   * namespace with another element or type (RFC 6120 §8.3.3.3), their
   * texts in the language `language` chooses (the stanza's `xml:lang`, the
   * configured order; English by default).
   */
  resolve(type: "get" | "set", element: Element, language?: LanguageChoice): IqHandler;
}

export function createIqRouter(): IqRoutes {
  const routes = new Map<string, IqHandler>();
  const known = new Set<string>();

  function add(type: "get" | "set", ns: string, name: string, handler: IqHandler): void {
    const key = `${type} ${name} ${ns}`;
    if (routes.has(key)) throw new Error(`IQ ${key} already has a handler`);
    routes.set(key, handler);
    known.add(ns);
  }

  return {
    get: (ns, name, handler) => add("get", ns, name, handler),
    set: (ns, name, handler) => add("set", ns, name, handler),
    namespaces: () => [...known],
    resolve(type, element, language = {}) {
      const ns = element.getNS() ?? "";
      const handler = routes.get(`${type} ${element.name} ${ns}`);
      if (handler) return handler;
      const t = stanzaTexts(language);
      if (known.has(ns)) {
        const text = t.notImplemented(type, element.name, ns);
        throw new StanzaError("feature-not-implemented", text, { lang: t.lang });
      }
      throw new StanzaError("service-unavailable", t.notServed(ns), { lang: t.lang });
    },
  };
}
