/**
 * A real XMPP user for tests: an @xmpp/client connection that records every
 * stanza it receives, so a test can await one matching a predicate (event
 * driven, with a timeout) and later check what else arrived.
 */
import { type Client, client, xml } from "@xmpp/client";

export { xml };
export type Element = ReturnType<typeof xml>;

// Generous: CI machines are small and shared; a wait that times out fails the test anyway.
const WAIT_MS = 20_000;

export interface User {
  readonly jid: string;
  readonly xmpp: Client;
  /** Every stanza received so far, in order. */
  readonly received: readonly Element[];
  send(stanza: Element): Promise<void>;
  /** The first stanza received (already or later) that matches. */
  waitFor(match: (stanza: Element) => boolean, what?: string, timeoutMs?: number): Promise<Element>;
  /** Sends an IQ (an id is given) and awaits the result or error with its id. */
  iq(stanza: Element): Promise<Element>;
  stop(): Promise<void>;
}

let counter = 0;

export async function connectUser(options: {
  service: string;
  domain: string;
  username: string;
  password: string;
  /** Another resource for a second device of the same account (default "test"). */
  resource?: string;
}): Promise<User> {
  const xmpp = client({ resource: "test", ...options });
  const received: Element[] = [];
  const waiters = new Set<(stanza: Element) => void>();
  xmpp.on("error", () => {});
  xmpp.on("stanza", (stanza: Element) => {
    received.push(stanza);
    for (const waiter of [...waiters]) waiter(stanza);
  });
  xmpp.reconnect.stop();
  const address = await xmpp.start();

  function waitFor(match: (s: Element) => boolean, what = "a stanza", timeoutMs = WAIT_MS) {
    const found = received.find(match);
    if (found) return Promise.resolve(found);
    return new Promise<Element>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const waiter = (stanza: Element) => {
        if (!match(stanza)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(stanza);
      };
      waiters.add(waiter);
    });
  }

  return {
    jid: address.toString(),
    xmpp,
    received,
    send: (stanza) => xmpp.send(stanza),
    waitFor,
    async iq(stanza) {
      stanza.attrs.id ??= `t${++counter}`;
      const { id } = stanza.attrs;
      const reply = waitFor(
        (s) => s.is("iq") && s.attrs.id === id && ["result", "error"].includes(s.attrs.type),
        `the reply to IQ ${id}`,
      );
      await xmpp.send(stanza);
      return reply;
    },
    async stop() {
      await xmpp.stop().catch(() => {});
    },
  };
}
