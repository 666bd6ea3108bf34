/// <reference path="./xmpp-component.d.ts" />
/**
 * The gateway as an XMPP external component (XEP-0114) on @xmpp/component:
 * connection, reconnection, and the one dispatcher (dispatch.ts) through
 * which every stanza to our domain is handled.
 */
import type { Network } from "@bitcoim/wallet";
import { component as xmppComponent } from "@xmpp/component";
import { createDispatcher, type StanzaHandler, type StanzaHandlers } from "./dispatch.js";
import { createIqRouter, type IqRouter } from "./iq-router.js";
import { createJidModel, type JidModel } from "./jids.js";
import type { Logger } from "./log.js";
import { backoff, keepConnected, type ReconnectDelay } from "./reconnect.js";
import { createShutdown } from "./shutdown.js";
import type { Element } from "./xml.js";

export interface GatewayComponentOptions {
  /** The server's component port, e.g. `xmpp://127.0.0.1:5347`. */
  readonly service: string;
  /** The component's domain, e.g. `bitcoin.example.org`. */
  readonly domain: string;
  /** The shared secret (XEP-0114 §3). */
  readonly password: string;
  readonly network: Network;
  readonly log: Logger;
  /** Message and presence handlers to start with (or set them with `handle`); IQ handlers register on `component.iq`. */
  readonly handlers?: StanzaHandlers;
  /** Delay policy between reconnect attempts; exponential backoff with jitter by default. */
  readonly reconnectDelay?: ReconnectDelay;
  /** The configured language order, for the dispatcher's and router's error texts; English by default. */
  readonly languages?: readonly string[] | undefined;
}

export type ComponentStatus = "online" | "offline";

/** Sending while the stream is down (the caller decides whether to retry or drop). */
export class NotConnectedError extends Error {
  override readonly name = "NotConnectedError";
  readonly code = "XMPP_NOT_CONNECTED";
}

export interface GatewayComponent {
  readonly domain: string;
  readonly jids: JidModel;
  /** Register IQ handlers here (modules take it as `iq`). */
  readonly iq: IqRouter;
  /**
   * Sets the one handler of messages or of presences to the domain; a
   * second one for the same kind is refused (two features cannot both own
   * the chat).
   */
  handle(kind: keyof StanzaHandlers, handler: StanzaHandler): void;
  /** Sends a stanza; `from` defaults to the gateway's JID. Rejects with NotConnectedError when offline. */
  send(stanza: Element): Promise<void>;
  /**
   * Sends an IQ get/set (`from` defaults to the gateway's JID) and resolves
   * with the result; rejects on an error reply, a timeout (default 10 s),
   * or with NotConnectedError when offline.
   */
  request(iq: Element, timeoutMs?: number): Promise<Element>;
  /**
   * Lets `intercept` see each incoming stanza before the dispatcher; one it
   * returns true for is consumed (the server's own messages, such as a
   * privilege advertisement, are no chat commands).
   */
  interceptIncoming(intercept: (stanza: Element) => boolean): void;
  /** Connects and authenticates; rejects if that first attempt fails (and does not retry). */
  start(): Promise<void>;
  /**
   * Shutdown, first step: new commands and IQs are refused, and the ones
   * running finish and reply; at most `timeoutMs`. True when all finished.
   */
  drain(timeoutMs: number): Promise<boolean>;
  /** Counts work started outside a handler (a notification, a follow-up) as running, for `drain`. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Stops reconnecting and closes the stream. */
  stop(): Promise<void>;
  /**
   * Runs `decorate` on every stanza before it is sent — replies and
   * unsolicited stanzas alike — to add what every stanza of a kind carries
   * (entity capabilities on presences). A failure leaves the stanza as it was.
   */
  decorateOutgoing(decorate: (stanza: Element) => Promise<void> | void): void;
  /** Called when the connection comes up or goes down; returns an unsubscribe function. */
  onStatus(listener: (status: ComponentStatus) => void): () => void;
}

export function createGatewayComponent(options: GatewayComponentOptions): GatewayComponent {
  const { service, domain, password, network, log, languages } = options;
  // Read at each stanza, so that handlers set after construction are used.
  const handlers: { -readonly [kind in keyof StanzaHandlers]: StanzaHandlers[kind] } = {
    ...options.handlers,
  };
  const jids = createJidModel({ domain, network });
  const iq = createIqRouter();
  const entity = xmppComponent({ service, domain: jids.domain, password });
  const connection = keepConnected({
    entity,
    delay: options.reconnectDelay ?? backoff(),
    log,
  });

  // Replies, notifications and presences often leave back to back: without
  // TCP_NODELAY the second waits for the server's acknowledgement of the
  // first (Nagle), a delay every user would feel.
  entity.on("connect", () => entity.socket?.setNoDelay?.(true));

  // Without a listener an "error" event would throw.
  entity.on("error", (error: unknown) => log.warn({ err: error }, "XMPP connection error"));

  const decorators: ((stanza: Element) => Promise<void> | void)[] = [];

  async function send(stanza: Element): Promise<void> {
    if (entity.status !== "online") {
      throw new NotConnectedError(`cannot send <${stanza.name}/>: the XMPP stream is down`);
    }
    if (!stanza.attrs.from) stanza.attrs.from = jids.domain;
    for (const decorate of decorators) {
      try {
        await decorate(stanza);
      } catch (error) {
        log.warn({ err: error, stanza: stanza.name }, "could not decorate an outgoing stanza");
      }
    }
    return entity.send(stanza);
  }

  const interceptors: ((stanza: Element) => boolean)[] = [];
  entity.middleware.use((ctx, next) =>
    interceptors.some((intercept) => intercept(ctx.stanza)) ? undefined : next(),
  );

  const shutdown = createShutdown();
  entity.middleware.use(createDispatcher({ jids, iq, handlers, send, log, languages, shutdown }));

  return {
    domain: jids.domain,
    jids,
    iq,
    handle(kind, handler) {
      if (handlers[kind]) throw new Error(`the gateway already has a ${kind} handler`);
      handlers[kind] = handler;
    },
    send,
    decorateOutgoing: (decorate) => {
      decorators.push(decorate);
    },
    async request(iq, timeoutMs = 10_000) {
      if (entity.status !== "online") {
        throw new NotConnectedError(`cannot send <iq/>: the XMPP stream is down`);
      }
      if (!iq.attrs.from) iq.attrs.from = jids.domain;
      return entity.iqCaller.request(iq, timeoutMs);
    },
    interceptIncoming: (intercept) => {
      interceptors.push(intercept);
    },
    async start() {
      await entity.start();
      connection.enable();
    },
    drain: (timeoutMs) => shutdown.drain(timeoutMs),
    track: (work) => shutdown.track(work),
    async stop() {
      connection.disable();
      if (entity.status === "offline" || entity.status === "disconnect") return;
      await entity.stop().catch((error: unknown) => {
        log.warn({ err: error }, "XMPP stream did not close cleanly");
      });
    },
    onStatus(listener) {
      let last: ComponentStatus | undefined;
      const report = (status: ComponentStatus) => {
        if (status === last) return;
        last = status;
        listener(status);
      };
      const online = () => report("online");
      const offline = () => report("offline");
      entity.on("online", online);
      entity.on("disconnect", offline);
      return () => {
        entity.off("online", online);
        entity.off("disconnect", offline);
      };
    },
  };
}
