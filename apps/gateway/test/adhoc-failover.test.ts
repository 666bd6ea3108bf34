/**
 * Ad-hoc command sessions (XEP-0050) live in the database, not in a
 * process: a `pay` started on a `bitcoim start` process that is then
 * SIGKILLed between its two steps completes on the gateway that takes its
 * place, with the same session id, and pays once; a second `complete`
 * is refused and moves nothing.
 */
import { randomBytes } from "node:crypto";
import { createDatabaseOn, usePostgresServer } from "@bitcoim/db/testing";
import { satsFromBtc } from "@bitcoim/wallet";
import {
  connectUser,
  createProsody,
  type Element,
  type Prosody,
  type User,
  xml,
} from "@bitcoim/xmpp/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/index.js";
import { startGateway } from "../src/lifecycle/start.js";
import { startXmpp } from "../src/xmpp.js";
import { type Chain, startChain } from "./chain.js";
import { spawnGateway } from "./gateway-process.js";
import { componentConfigFile, recordLog } from "./helpers.js";

const HOST = "example.localhost";
const DOMAIN = "bitcoin.example.localhost";
const NS_COMMANDS = "http://jabber.org/protocol/commands";

const postgresUrl = usePostgresServer({ beforeAll, afterAll });
let prosody: Prosody;
let chain: Chain;
beforeAll(async () => {
  prosody = await createProsody({ hosts: [HOST], component: DOMAIN });
  [chain] = await Promise.all([startChain(), prosody.start()]);
}, 60_000);
afterAll(async () => {
  await prosody?.close();
  await chain?.close();
});

const configFile = (databaseUrl: string) =>
  componentConfigFile({ jid: DOMAIN, server: prosody, chain, databaseUrl });

async function user(name: string): Promise<User> {
  const password = randomBytes(6).toString("hex");
  await prosody.register(name, HOST, password);
  const client = await connectUser({
    service: prosody.c2sService,
    domain: HOST,
    username: name,
    password,
  });
  await client.send(xml("presence"));
  return client;
}

const register = (client: User, name: string) =>
  client.iq(
    xml(
      "iq",
      { type: "set", to: DOMAIN },
      xml("query", { xmlns: "jabber:iq:register" }, xml("username", {}, name)),
    ),
  );

function pay(
  client: User,
  to: string,
  o: { action?: string; sessionid?: string; values?: Record<string, string> },
) {
  const fields = Object.entries(o.values ?? {}).map(([name, value]) =>
    xml("field", { var: name }, xml("value", {}, value)),
  );
  const form =
    fields.length > 0 ? xml("x", { xmlns: "jabber:x:data", type: "submit" }, ...fields) : undefined;
  const attrs = { xmlns: NS_COMMANDS, node: "pay", action: o.action, sessionid: o.sessionid };
  return client.iq(xml("iq", { type: "set", to }, xml("command", attrs, ...(form ? [form] : []))));
}
const commandOf = (reply: Element) => reply.getChild("command", NS_COMMANDS)!;

describe("an ad-hoc pay across a SIGKILL", () => {
  it("completes on the gateway that took over, with the same session id, once", async () => {
    const url = await createDatabaseOn(postgresUrl());
    const config = await configFile(url);
    const first = await spawnGateway(config);
    const [alice, bob] = await Promise.all([user("alice"), user("bob")]);
    let second: Awaited<ReturnType<typeof startGateway>> | undefined;
    try {
      for (const [client, name] of [
        [alice, "alice"],
        [bob, "bob"],
      ] as const) {
        expect((await register(client, name)).attrs.type).toBe("result");
      }
      // The first process credits alice's deposit.
      const address = await alice.waitFor(
        (s) => s.is("presence") && s.attrs.type === "subscribe" && s.attrs.from !== DOMAIN,
        "the deposit address's subscription request",
      );
      const deposit = address.getChildText("nick", "http://jabber.org/protocol/nick")!;
      const credited = alice.waitFor(
        (s) => s.is("message") && /^Received/.test(s.getChildText("body") ?? ""),
        "the deposit notice",
      );
      await chain.pay(deposit, satsFromBtc("0.01"));
      await chain.mine(1);
      await credited;

      const bobJid = `bob@${DOMAIN}`;
      const start = await pay(alice, bobJid, {});
      const sessionid = commandOf(start).attrs.sessionid!;
      const summary = await pay(alice, bobJid, {
        sessionid,
        action: "next",
        values: { amount: "0.001", reason: "rent" },
      });
      expect(commandOf(summary).attrs).toMatchObject({ status: "executing", sessionid });

      // Gone without a goodbye, between the two steps.
      await first.kill();
      const log = recordLog("info");
      const loaded = await loadConfig({ path: config, env: {} });
      second = await startGateway({ config: loaded, log: log.log, startComponent: startXmpp });
      const bobId = (await second.accounts.byJid(`bob@${HOST}`))!.id;
      const aliceId = (await second.accounts.byJid(`alice@${HOST}`))!.id;

      const done = await pay(alice, bobJid, { sessionid, action: "complete" });
      expect(commandOf(done).attrs).toMatchObject({ status: "completed", sessionid });
      expect(commandOf(done).getChildText("note")).toMatch(/^Paid 0\.001 BTC to bob\./);
      const again = await pay(alice, bobJid, { sessionid, action: "complete" });
      expect(again.attrs.type).toBe("error");

      expect((await second.accounts.balance(bobId)).confirmed).toBe(satsFromBtc("0.001"));
      expect((await second.accounts.balance(aliceId)).confirmed).toBe(satsFromBtc("0.009"));
      expect(await second.accounts.audit()).toMatchObject({ ok: true });
    } finally {
      await Promise.all([alice.stop(), bob.stop()]);
      await second?.stop();
      await first.stop();
    }
  }, 90_000);
});
