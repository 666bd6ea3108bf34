/**
 * The chat tests' setup: the shared XMPP world with the chat commands
 * plugged in, its orders on a settable clock, and `ask(user, to, body)`:
 * send one message and await the next message that comes back. A test's
 * own presence handler is late-bound, since it is made from the world.
 */
import type { Orders } from "@bitcoim/orders";
import type { StanzaHandler } from "../src/dispatch.js";
import { chatCommands } from "../src/features/chat.js";
import { presences } from "../src/features/presences.js";
import { createRateLimit } from "../src/rate-limit.js";
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
  /** The orders the chat handler uses (the world's), on `clock`. */
  readonly chatOrders: Orders;
  readonly clock: ReturnType<typeof settableClock>;
}

export async function createChatWorld(
  extra: {
    /** The gateway's own presences (`true`), or a test's handler made from the world. */
    presence?: true | ((world: XmppWorld) => StanzaHandler);
    rateLimit?: number;
    admins?: readonly string[];
    privilege?: XmppWorldOptions["privilege"];
  } = {},
): Promise<ChatWorld> {
  let presence: StanzaHandler | undefined;
  const clock = settableClock();
  const world = await createXmppWorld({
    ...(extra.admins ? { admins: extra.admins } : {}),
    ...(extra.privilege ? { privilege: extra.privilege } : {}),
    orders: { now: clock.now },
    explorerTxUrl: "https://explorer.example/tx/{txid}",
    features: [
      chatCommands({ rateLimit: createRateLimit({ limit: extra.rateLimit ?? 1000 }) }),
      extra.presence === true
        ? presences()
        : ({ component }) => {
            component.handle("presence", (ctx) => presence?.(ctx));
            return undefined;
          },
    ],
  });
  if (typeof extra.presence === "function") presence = extra.presence(world);
  return { ...world, chatOrders: world.orders, clock };
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
