/**
 * The chat tests' setup: the shared XMPP world with the chat handler plugged
 * in (late-bound, since the handler needs the world's services), orders on a
 * settable clock, and `ask(user, to, body)`: send one message and await the
 * next message that comes back.
 */
import { createOrders, type Orders } from "@bitcoim/orders";
import { createChatHandler } from "../src/chat.js";
import type { StanzaHandler } from "../src/dispatch.js";
import { createRateLimit } from "../src/rate-limit.js";
import { txLinker } from "../src/services.js";
import { type Element, type User, xml } from "./client.js";
import { createXmppWorld, type XmppWorld, type XmppWorldOptions } from "./world.js";

export function settableClock(start = Date.now()) {
  let now = start;
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

export interface ChatWorld extends XmppWorld {
  /** The orders the chat handler uses, on `clock`. */
  readonly chatOrders: Orders;
  readonly clock: ReturnType<typeof settableClock>;
}

export async function createChatWorld(
  extra: {
    presence?: (world: XmppWorld) => StanzaHandler;
    rateLimit?: number;
    admins?: readonly string[];
    privilege?: XmppWorldOptions["privilege"];
  } = {},
): Promise<ChatWorld> {
  let message: StanzaHandler | undefined;
  let presence: StanzaHandler | undefined;
  const world = await createXmppWorld({
    ...(extra.admins ? { admins: extra.admins } : {}),
    ...(extra.privilege ? { privilege: extra.privilege } : {}),
    handlers: {
      message: (ctx) => message?.(ctx),
      presence: (ctx) => presence?.(ctx),
    },
  });
  const clock = settableClock();
  const chatOrders = createOrders({
    db: world.world.database.db,
    accounts: world.world.accounts,
    node: world.world.gw,
    network: "regtest",
    now: clock.now,
  });
  message = createChatHandler({
    accounts: world.world.accounts,
    orders: chatOrders,
    wallet: world.world.gw,
    txLink: txLinker("https://explorer.example/tx/{txid}"),
    jids: world.gateway.component.jids,
    network: "regtest",
    log: world.log,
    rateLimit: createRateLimit({ limit: extra.rateLimit ?? 1000 }),
    roster: world.gateway.roster,
  });
  if (extra.presence) presence = extra.presence(world);
  return { ...world, chatOrders, clock };
}

let counter = 0;

/**
 * Sends `body` to `to` and returns the next message that arrives (from
 * `from`, if given). Headlines are not replies: they are the gateway's
 * avatar events (XEP-0084), which may arrive at any time.
 */
export async function ask(
  user: User,
  to: string,
  body: string,
  options: { lang?: string; from?: string; extra?: Element | Element[] } = {},
): Promise<Element> {
  const seen = new Set(user.received);
  const id = `m${++counter}`;
  const reply = user.waitFor(
    (s) =>
      !seen.has(s) &&
      s.is("message") &&
      s.attrs.type !== "headline" &&
      (options.from === undefined || s.attrs.from === options.from),
    `a reply to “${body}”`,
    15_000,
  );
  await user.send(
    xml(
      "message",
      { to, type: "chat", id, ...(options.lang ? { "xml:lang": options.lang } : {}) },
      xml("body", {}, body),
      ...[options.extra ?? []].flat(),
    ),
  );
  return reply;
}

export const bodyOf = (stanza: Element) => stanza.getChildText("body") ?? "";

/** The confirmation code in a `pay` summary. */
export function codeIn(summary: string): string {
  const code = /(?:confirm|confirmer) ([a-z2-9]{4})\b/.exec(summary)?.[1];
  if (!code) throw new Error(`no code in: ${summary}`);
  return code;
}
