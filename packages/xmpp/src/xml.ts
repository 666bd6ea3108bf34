/// <reference path="./xmpp-component.d.ts" />
/**
 * XML elements, built with the component's own copy of @xmpp/xml (a second
 * copy would build elements the component's `instanceof` checks reject).
 */
import { xml as componentXml } from "@xmpp/component";

/** An XML element as ltx (xmpp.js) models it: the subset this package uses. */
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

/** `xml(name, attrs, ...children)`; falsy children are skipped. */
export const xml: (
  name: string,
  attrs?: Record<string, string | undefined> | null,
  ...children: XmlChild[]
) => Element = componentXml;
