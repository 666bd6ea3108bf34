/**
 * The chaos run's XMPP users: real @xmpp/client connections through
 * Prosody, two resources (a phone and a laptop) per account, and the mixed
 * load they make. A user never waits long for an answer: a gateway that is
 * down makes commands go unanswered, which is counted, not fatal.
 */
import { connectUser, type Element, type User, xml } from "@bitcoim/xmpp/testing";

interface Person {
  name: string;
  jid: string;
  password: string;
  phone: User;
  laptop: User;
  address?: string;
}

export interface LoadOptions {
  rand: () => number;
  running: () => boolean;
  /** A fresh outside address, as its JID at the gateway. */
  outsideAddress: () => Promise<string>;
  deposit: (address: string) => Promise<void>;
}

export type Clients = Awaited<ReturnType<typeof connectClients>>;

const ANSWER_MS = 8_000;

export async function connectClients(
  world: {
    prosody: { c2sService: string };
    users: { name: string; jid: string; password: string }[];
  },
  host: string,
  domain: string,
) {
  const connect = (u: { name: string; password: string }, resource: string) =>
    connectUser({
      service: world.prosody.c2sService,
      domain: host,
      username: u.name,
      password: u.password,
      resource,
    }).then(async (client) => {
      client.xmpp.on("stanza", (s: Element) => {
        if (s.is("presence") && s.attrs.type === "subscribe") {
          void client
            .send(xml("presence", { to: s.attrs.from, type: "subscribed" }))
            .catch(() => {});
        }
      });
      await client.send(xml("presence"));
      return client;
    });
  const people: Person[] = [];
  for (const u of world.users) {
    people.push({ ...u, phone: await connect(u, "phone"), laptop: await connect(u, "laptop") });
  }

  /** Sends `body` to `to`; the next chat line from `to` matching `expect`, or undefined. */
  async function say(
    client: User,
    to: string,
    body: string,
    expect = /./,
  ): Promise<string | undefined> {
    const seen = new Set(client.received);
    const answer = client
      .waitFor(
        (s) =>
          !seen.has(s) &&
          s.is("message") &&
          s.attrs.from?.split("/")[0] === to &&
          (s.attrs.type === "error" || expect.test(s.getChildText("body") ?? "")),
        `an answer to "${body}"`,
        ANSWER_MS,
      )
      .then((s) => (s.attrs.type === "error" ? undefined : (s.getChildText("body") ?? "")))
      .catch(() => undefined);
    try {
      await client.send(xml("message", { to, type: "chat" }, xml("body", {}, body)));
    } catch {
      return undefined; // the connection is down (Prosody restarting)
    }
    return answer;
  }
  const code = (reply: string | undefined) => /confirm ([a-z2-9]{4})/.exec(reply ?? "")?.[1];

  async function worker(me: Person, o: LoadOptions): Promise<number> {
    let commands = 0;
    const ask = async (client: User, to: string, body: string, expect?: RegExp) => {
      commands++;
      return say(client, to, body, expect);
    };
    while (o.running()) {
      // The harness's own calls (the outside wallet) fail while bitcoind restarts: go on.
      await step().catch(() => new Promise((resolve) => setTimeout(resolve, 500)));
    }
    return commands;

    async function step(): Promise<void> {
      const r = o.rand();
      const others = people.filter((p) => p !== me && p !== people[0]);
      const other = others[Math.floor(o.rand() * others.length)]!;
      const amount = (0.00001 * (1 + Math.floor(o.rand() * 20))).toFixed(5);
      if (r < 0.55) {
        // Internal (55 %) or on-chain (20 % of those) payment, then confirm.
        const to = o.rand() < 0.3 ? await o.outsideAddress() : `${other.name}@${domain}`;
        const c = code(await ask(me.phone, to, `pay ${amount} chaos`, /confirm [a-z2-9]{4}/));
        if (!c) return;
        const how = o.rand();
        if (how < 0.15) return; // left to expire
        if (how < 0.25) {
          await ask(me.phone, to, `cancel ${c}`);
        } else if (how < 0.45) {
          // The same code from both devices at once.
          await Promise.all([
            ask(me.phone, to, `confirm ${c}`),
            ask(me.laptop, to, `confirm ${c}`),
          ]);
        } else {
          await ask(me.phone, to, `confirm ${c}`);
          if (how < 0.55) await ask(me.laptop, to, `confirm ${c}`); // again, later
        }
      } else if (r < 0.65) {
        if (me.address) await o.deposit(me.address).catch(() => {});
      } else {
        await ask(me.phone, domain, o.rand() < 0.5 ? "balance" : "history", /./);
      }
    }
  }

  return {
    users: people,
    async registerAll() {
      for (const p of people) {
        const query = xml("query", { xmlns: "jabber:iq:register" }, xml("username", {}, p.name));
        const reply = await p.phone.iq(xml("iq", { type: "set", to: domain }, query));
        if (reply.attrs.type !== "result") throw new Error(`${p.name} could not register`);
      }
    },
    async depositAddress(p: Person): Promise<string> {
      const reply = await say(p.phone, domain, "address", /bcrt1/);
      const address = /(bcrt1[02-9ac-hj-np-z]+)/.exec(reply ?? "")?.[1];
      if (!address) throw new Error(`no address for ${p.name}: ${reply}`);
      p.address = address;
      return address;
    },
    async waitForBalances() {
      for (const p of people) {
        for (let i = 0; i < 60; i++) {
          const reply = await say(p.phone, domain, "balance", /Balance/);
          if (reply && !/Balance: 0 BTC/.test(reply)) break;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      }
    },
    async runLoad(o: LoadOptions): Promise<number> {
      // The first account only watches (answers, the admin audit): never rate-limited by the load.
      const counts = await Promise.all(people.slice(1).map((p) => worker(p, o)));
      return counts.reduce((a, b) => a + b, 0);
    },
    /** Whether the first user gets a balance answer within `ms`. */
    async answersWithin(ms: number): Promise<boolean> {
      const deadline = performance.now() + ms;
      while (performance.now() < deadline) {
        if (await say(people[0]!.phone, domain, "balance", /Balance/)) return true;
      }
      return false;
    },
    async adminAudit(): Promise<string> {
      return (await say(people[0]!.phone, domain, "audit", /^Audit/)) ?? "no answer";
    },
    async reconnect() {
      // All at once, as real users' clients come back: one after another, the
      // 18 logins took half a minute on ejabberd, which the run then counted
      // as the gateway's time to answer.
      await Promise.all(
        people.map(async (p) => {
          await Promise.all([p.phone.stop().catch(() => {}), p.laptop.stop().catch(() => {})]);
          [p.phone, p.laptop] = await Promise.all([connect(p, "phone"), connect(p, "laptop")]);
        }),
      );
    },
    async close() {
      for (const p of people) await Promise.all([p.phone.stop(), p.laptop.stop()]).catch(() => {});
    },
  };
}
