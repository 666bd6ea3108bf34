/**
 * The part of @xmpp/component 0.13 (CommonJS, untyped) that bitcoIM uses.
 * Compile-time only: the public API of this package exposes its own types
 * (see xml.ts), never these.
 */
declare module "@xmpp/component" {
  import type { EventEmitter } from "node:events";

  export interface Element {
    name: string;
    attrs: Record<string, string | undefined>;
    children: Array<Element | string>;
    is(name: string, xmlns?: string): boolean;
    getNS(): string | undefined;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildElements(): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    text(): string;
    append(...children: Array<Element | string>): Element;
    toString(): string;
  }

  export type XmlChild = Element | string | undefined | null | false;

  export function xml(
    name: string,
    attrs?: Record<string, string | undefined> | null,
    ...children: XmlChild[]
  ): Element;

  export interface IncomingContext {
    readonly stanza: Element;
    readonly name: string;
    readonly type: string;
    readonly id: string;
    element?: Element;
  }

  export type Next = () => Promise<unknown>;
  export type Middleware = (ctx: IncomingContext, next: Next) => unknown;

  export interface Reconnect extends EventEmitter {
    delay: number;
    start(): void;
    stop(): void;
    reconnect(): Promise<void>;
  }

  export interface Component extends EventEmitter {
    status: string;
    /** The TCP socket while connected (a `net.Socket` for `xmpp://`). */
    socket: { setNoDelay?(noDelay?: boolean): unknown } | null;
    options: { service: string; domain: string };
    start(): Promise<void>;
    stop(): Promise<void>;
    disconnect(timeout?: number): Promise<void>;
    connect(service: string): Promise<void>;
    open(options: { domain: string }): Promise<void>;
    send(element: Element): Promise<void>;
    reconnect: Reconnect;
    middleware: { use(fn: Middleware): Middleware };
    iqCallee: object;
    /** Sends an IQ get/set and resolves with its result; rejects on an error reply or timeout. */
    iqCaller: { request(stanza: Element, timeoutMs?: number): Promise<Element> };
  }

  export function component(options: {
    service: string;
    domain: string;
    password: string;
  }): Component;
}
