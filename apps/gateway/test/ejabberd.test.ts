/**
 * The gateway against ejabberd (the Debian package) instead of Prosody: one
 * gateway end to end with a real XMPP user, then three gateways (two in
 * this process with their own connection pools, one a separate `bitcoim
 * start` process) on one PostgreSQL database, connected as the SAME
 * component domain — ejabberd hands each stanza to that domain to one of
 * the connections, at random — where deposits, payments and order expiry
 * still happen exactly once.
 */
import { randomBytes } from "node:crypto";
import type { DepositNotice } from "@bitcoim/accounts";
import { createDatabaseOn, usePostgresServer } from "@bitcoim/db/testing";
import type { Order } from "@bitcoim/orders";
import { satsFromBtc } from "@bitcoim/wallet";
import {
  connectUser,
  createEjabberd,
  type Ejabberd,
  type Element,
  type User,
  xml,
} from "@bitcoim/xmpp/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/index.js";
import { type RunningGateway, startGateway } from "../src/lifecycle/start.js";
import { startXmpp } from "../src/xmpp.js";
import { type Chain, startChain } from "./chain.js";
import { spawnGateway as spawnProcess } from "./gateway-process.js";
import { componentConfigFile, type RecordedLog, recordLog } from "./helpers.js";

const HOST = "example.localhost";
const DOMAIN = "bitcoin.example.localhost";

const postgresUrl = usePostgresServer({ beforeAll, afterAll });
/** The stop functions of the `bitcoim start` processes still running. */
const running = new Set<() => Promise<number | null>>();

describe("the gateway on ejabberd", () => {
  let ejabberd: Ejabberd;
  let chain: Chain;
  beforeAll(async () => {
    ejabberd = await createEjabberd({ hosts: [HOST, "localhost"], component: DOMAIN });
    [chain] = await Promise.all([startChain(), ejabberd.start()]);
  }, 60_000);
  afterAll(async () => {
    // Even after a timed-out test: stopped while ejabberd is still up.
    await Promise.all([...running].map((stop) => stop()));
    await ejabberd?.close();
    await chain?.close();
  });

  const configFile = (databaseUrl: string) =>
    componentConfigFile({ jid: DOMAIN, server: ejabberd, chain, databaseUrl });

  /** `bitcoim start` in its own OS process, stopped at the latest before ejabberd goes. */
  async function spawnGateway(configPath: string) {
    const proc = await spawnProcess(configPath);
    running.add(proc.stop);
    void proc.exited.then(() => running.delete(proc.stop));
    return proc;
  }

  /** A gateway (startGateway + startXmpp) in this process, with its own connection pool. */
  async function gatewayOn(databaseUrl: string): Promise<{ gw: RunningGateway; log: RecordedLog }> {
    const config = await loadConfig({ path: await configFile(databaseUrl), env: {} });
    const log = recordLog("info");
    return { gw: await startGateway({ config, log: log.log, startComponent: startXmpp }), log };
  }

  /**
   * A user on ejabberd, registered there, connected with @xmpp/client and
   * available: ejabberd delivers a message to a bare JID (the gateway's
   * notifications) only to resources that sent their presence.
   */
  async function user(name: string): Promise<User> {
    const password = randomBytes(6).toString("hex");
    await ejabberd.register(name, HOST, password);
    const client = await connectUser({
      service: ejabberd.c2sService,
      domain: HOST,
      username: name,
      password,
    });
    await client.send(xml("presence"));
    return client;
  }

  /** XEP-0077 registration with the gateway under `name`. */
  async function register(client: User, name: string): Promise<Element> {
    return client.iq(
      xml(
        "iq",
        { type: "set", to: DOMAIN },
        xml("query", { xmlns: "jabber:iq:register" }, xml("username", {}, name)),
      ),
    );
  }

  /** Chat bodies from `from` that `client` received so far. */
  const bodiesFrom = (client: User, from: string) =>
    client.received
      .filter((s) => s.is("message") && s.attrs.from?.split("/")[0] === from)
      .map((s) => s.getChildText("body") ?? "");

  /** The first chat body from `from` matching `pattern`, among stanzas from number `after` on. */
  async function nextFrom(client: User, from: string, pattern: RegExp, after = 0): Promise<string> {
    const stanza = await client.waitFor(
      (s) =>
        client.received.indexOf(s) >= after &&
        s.is("message") &&
        s.attrs.from?.split("/")[0] === from &&
        pattern.test(s.getChildText("body") ?? ""),
      `a message from ${from} matching ${pattern}`,
    );
    return stanza.getChildText("body") ?? "";
  }

  /** Sends a chat line and awaits the reply matching `pattern`. */
  async function say(client: User, to: string, body: string, pattern: RegExp): Promise<string> {
    const reply = nextFrom(client, to, pattern, client.received.length);
    await client.send(xml("message", { to, type: "chat" }, xml("body", {}, body)));
    return reply;
  }

  it("registers a user, answers help, credits and announces a deposit, and reports the balance", async () => {
    const { gw } = await gatewayOn(await createDatabaseOn(postgresUrl()));
    const alice = await user("alice");
    try {
      expect((await register(alice, "alice")).attrs.type).toBe("result");
      expect(await say(alice, DOMAIN, "help", /Commands here/)).toMatch(/balance/);

      const account = await gw.accounts.byJid(`alice@${HOST}`);
      const [deposit] = await gw.accounts.addresses(account!.id);
      // No roster access here: the gateway and the address ask to be approved.
      for (const from of [DOMAIN, `${deposit!.address}@${DOMAIN}`]) {
        await alice.waitFor(
          (s) => s.is("presence") && s.attrs.type === "subscribe" && s.attrs.from === from,
          `a subscription request from ${from}`,
        );
      }
      const txid = await chain.pay(deposit!.address, satsFromBtc("0.5"));
      await chain.mine(1);
      const credited = await nextFrom(alice, DOMAIN, /^Received/);
      expect(credited).toContain("0.5 BTC");
      expect(credited).toContain(txid);
      expect(await say(alice, DOMAIN, "balance", /^Balance:/)).toMatch(/^Balance: 0\.5 BTC/);
    } finally {
      await alice.stop();
      await gw.stop();
    }
  });

  it("a second gateway process starting does not announce the gateway to its users again", async () => {
    const url = await createDatabaseOn(postgresUrl());
    const first = await gatewayOn(url);
    const erin = await user("erin");
    let second: Awaited<ReturnType<typeof gatewayOn>> | undefined;
    try {
      expect((await register(erin, "erin")).attrs.type).toBe("result");
      const shown = () =>
        erin.received.filter(
          (s) => s.is("presence") && s.attrs.from === DOMAIN && s.attrs.type === undefined,
        ).length;
      // Erin online: the gateway's presence reaches her once.
      const hello = erin.waitFor(
        (s) => s.is("presence") && s.attrs.from === DOMAIN && s.attrs.type === undefined,
      );
      await erin.send(xml("presence", { to: DOMAIN }));
      await hello;
      const before = shown();
      second = await gatewayOn(url);
      await second.log.waitFor(/another gateway process announces/);
      // A ping through ejabberd after that: anything the second sent has arrived.
      await erin.iq(
        xml("iq", { type: "get", to: DOMAIN }, xml("ping", { xmlns: "urn:xmpp:ping" })),
      );
      expect(shown()).toBe(before);
    } finally {
      await erin.stop();
      await second?.gw.stop();
      await first.gw.stop();
    }
  });

  it("three gateways (one a separate `bitcoim start` process) on one database and one component domain do each thing once", async () => {
    const url = await createDatabaseOn(postgresUrl());
    // The first migrates the database; then the others join it.
    const one = await gatewayOn(url);
    const [two, three] = await Promise.all([gatewayOn(url), spawnGateway(await configFile(url))]);
    // The two in this process can be watched from here: their events are counted.
    const gateways = [one.gw, two.gw];
    const [carol, dave] = await Promise.all([user("carol"), user("dave")]);
    try {
      const credits: DepositNotice[] = [];
      const payments: Order[] = [];
      const expired: Order[] = [];
      for (const g of gateways) {
        g.accounts.events.on("depositCredited", (n) => credits.push(n));
        g.orders.events.on("paymentCompleted", ({ order }) => payments.push(order));
        g.orders.events.on("orderExpired", ({ order }) => expired.push(order));
      }
      for (const [client, name] of [
        [carol, "carol"],
        [dave, "dave"],
      ] as const) {
        expect((await register(client, name)).attrs.type).toBe("result");
      }
      // Carol's presence reaches one of the three, which counts her online for all.
      const hello = carol.waitFor(
        (s) => s.is("presence") && s.attrs.from === DOMAIN && s.attrs.type === undefined,
        "the gateway's presence",
      );
      await carol.send(xml("presence", { to: DOMAIN }));
      await hello;
      // ejabberd gave each registration IQ to exactly one of the three connections.
      const registered = [one.log.entries, two.log.entries, three.logs].flatMap((entries) =>
        entries.filter((e) => e.msg === "user registered"),
      );
      expect(registered.map((e) => e.jid).sort()).toEqual([`carol@${HOST}`, `dave@${HOST}`]);

      // A deposit, scanned by all three processes, is credited once and announced once.
      const c = (await one.gw.accounts.byJid(`carol@${HOST}`))!;
      const [address] = await two.gw.accounts.addresses(c.id);
      await chain.pay(address!.address, satsFromBtc("0.3"));
      await chain.mine(1);
      await nextFrom(carol, DOMAIN, /^Received 0\.3 BTC/);
      await Promise.all(gateways.flatMap((g) => [g.tick(), g.tick()]));
      // Credited by one of the two watched here, or by the third: then by neither of these.
      expect(credits.length).toBeLessThanOrEqual(1);
      expect((await one.gw.accounts.balance(c.id)).confirmed).toBe(30_000_000n);
      expect(await two.gw.accounts.audit()).toMatchObject({ ok: true });
      expect(await count(one.gw, `kind = 'deposit_credit'`)).toBe(1);
      expect(bodiesFrom(carol, DOMAIN).filter((b) => b.startsWith("Received"))).toHaveLength(1);

      // A payment queued and confirmed in chat (each line to any of the three) is paid once.
      const daveJid = `dave@${DOMAIN}`;
      const code = codeIn(await say(carol, daveJid, "pay 0.1 lunch", /To pay, type/));
      expect(await say(carol, daveJid, `confirm ${code}`, /^Paid/)).toMatch(
        /^Paid 0\.1 BTC to dave\. Your balance: 0\.2 BTC/,
      );
      await nextFrom(dave, DOMAIN, /^carol paid you 0\.1 BTC/);
      await Promise.all(gateways.map((g) => g.tick()));
      expect(payments.length).toBeLessThanOrEqual(1);
      expect(await count(one.gw, `kind = 'transfer'`)).toBe(1);
      const d = (await two.gw.accounts.byJid(`dave@${HOST}`))!;
      expect((await two.gw.accounts.balance(d.id)).confirmed).toBe(10_000_000n);
      expect((await one.gw.accounts.balance(c.id)).confirmed).toBe(20_000_000n);
      expect(bodiesFrom(dave, DOMAIN).filter((b) => b.includes("paid you"))).toHaveLength(1);

      // The separate process stops on SIGTERM, as under a service manager.
      expect(await three.stop()).toBe(0);

      // An order past its lifetime expires once, whichever loop gets there first.
      const stale = codeIn(await say(carol, daveJid, "pay 0.05 later", /To pay, type/));
      const firstExpiry = new Promise<void>((resolve) => {
        for (const g of gateways) g.orders.events.on("orderExpired", () => resolve());
      });
      await one.gw.database.db.execute(
        `UPDATE "bitcoim"."payment_orders" SET expires_at = now() - interval '1 second'
         WHERE code = '${stale}' AND status = 'pending'`,
      );
      await firstExpiry;
      await Promise.all(gateways.flatMap((g) => [g.tick(), g.tick()]));
      expect(expired.map((o) => o.code)).toEqual([stale]);
      expect(
        await count(two.gw, `code = '${stale}' AND status = 'expired'`, "payment_orders"),
      ).toBe(1);
      expect(await two.gw.accounts.audit()).toMatchObject({ ok: true });

      // With two gateways gone, ejabberd routes the domain to the one left.
      await one.gw.stop();
      expect(await say(carol, DOMAIN, "balance", /^Balance:/)).toMatch(/^Balance: 0\.2 BTC/);

      // Only the last one to stop tells carol the gateway is gone: once.
      const goodbye = (s: Element) =>
        s.is("presence") && s.attrs.from === DOMAIN && s.attrs.type === "unavailable";
      await two.gw.stop();
      await carol.waitFor(goodbye, "the last gateway's goodbye");
      expect(carol.received.filter(goodbye)).toHaveLength(1);
    } finally {
      await Promise.all([carol.stop(), dave.stop()]);
      await Promise.all([...gateways.map((g) => g.stop()), three.stop()]);
    }
  });
});

/** The code in a `pay` reply ("To pay, type: confirm abcd"). */
function codeIn(reply: string): string {
  const code = /To pay, type: \S+ (\S+)/.exec(reply)?.[1];
  if (!code) throw new Error(`no confirmation code in the reply:\n${reply}`);
  return code;
}

async function count(gw: RunningGateway, where: string, table = "journals"): Promise<number> {
  const result = await gw.database.db.execute(
    `SELECT count(*)::int AS n FROM "bitcoim"."${table}" WHERE ${where}`,
  );
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return (rows[0] as { n: number }).n;
}
