/**
 * The admins' `audit` through the operator's program: configured admins
 * (from the environment, as an operator would), the gateway's own wallet on
 * the sandbox chain, a real admin client on Prosody.
 */
import { connectUser, type User, xml } from "@bitcoim/xmpp/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig } from "../src/config/index.js";
import { DEMO_DOMAIN, DEMO_HOST, type DemoWorld, setUpDemo } from "../src/demo/setup.js";
import { type RunningGateway, startGateway } from "../src/lifecycle/start.js";
import { createLogger } from "../src/log.js";
import { startXmpp } from "../src/xmpp.js";

let world: DemoWorld;
let gateway: RunningGateway;
let root: User;

beforeAll(async () => {
  world = await setUpDemo(["root"]);
  const jid = world.users[0]!.jid;
  const config = await loadConfig({
    path: world.configPath,
    env: { BITCOIM_GATEWAY_ADMINS: jid },
  });
  gateway = await startGateway({
    config,
    log: createLogger({ level: "fatal" }),
    startComponent: startXmpp,
  });
  await gateway.accounts.register(jid, "root");
  root = await connectUser({
    service: world.prosody.c2sService,
    domain: DEMO_HOST,
    username: "root",
    password: world.users[0]!.password,
  });
}, 60_000);
afterAll(async () => {
  await root?.stop();
  await gateway?.stop();
  await world?.close();
});

it("answers a configured admin with the verdict, the wallet read from the node", async () => {
  const seen = new Set(root.received);
  const reply = root.waitFor(
    (s) => !seen.has(s) && s.is("message") && s.attrs.from === DEMO_DOMAIN,
    "the audit",
  );
  await root.send(xml("message", { to: DEMO_DOMAIN, type: "chat" }, xml("body", {}, "audit")));
  const body = (await reply).getChildText("body") ?? "";
  expect(body.split("\n")[0]).toBe(
    "Audit: OK. The ledger adds up, and the wallet covers what users hold.",
  );
  expect(body).toMatch(/\nWallet: [\d.]+ BTC confirmed, [\d.]+ BTC pending; surplus [\d.]+ BTC$/);
});
