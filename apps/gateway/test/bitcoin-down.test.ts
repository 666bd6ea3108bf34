/**
 * docs/behaviour.md §9: the gateway survives losing the Bitcoin node — users
 * are told (the gateway's presence says so), a payment to an address fails
 * clearly and its order stays pending, and everything recovers by itself
 * when the node is back.
 */
import { type Element, xml } from "@bitcoim/xmpp/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig } from "../src/config/index.js";
import { playConversation } from "../src/demo/conversation.js";
import { DEMO_DOMAIN, type DemoWorld, setUpDemo } from "../src/demo/setup.js";
import { type RunningGateway, startGateway } from "../src/lifecycle/start.js";
import { createLogger } from "../src/log.js";
import { startXmpp } from "../src/xmpp.js";

let world: DemoWorld;
let gateway: RunningGateway;

beforeAll(async () => {
  world = await setUpDemo(["alice", "bob"]);
  const config = await loadConfig({ path: world.configPath, env: {} });
  gateway = await startGateway({
    config,
    log: createLogger({ level: "fatal" }),
    startComponent: startXmpp,
  });
}, 60_000);
afterAll(async () => {
  await gateway?.stop();
  await world?.close();
});

const statusOf = (s: Element) => s.getChildText("status") ?? "";

it("tells users when the Bitcoin node is gone, keeps address payments pending, and recovers", async () => {
  const [alice] = await playConversation({
    world,
    accounts: gateway.accounts,
    print: () => {},
    keep: true,
  });
  const fromGateway = (s: Element) =>
    s.is("presence") && s.attrs.from === DEMO_DOMAIN && !s.attrs.type;

  const next = (match: (s: Element) => boolean, what: string) => {
    const seen = new Set(alice!.received);
    return alice!.waitFor((s) => !seen.has(s) && match(s), what);
  };
  await world.chain.stop();
  const told = next(
    (s) => fromGateway(s) && /unreachable/.test(statusOf(s)),
    "the presence saying so",
  );
  await gateway.tick();
  await told;

  const shop = "bcrt1qq03nn4s77tf7u8ujy20r9un49p6x3tah00jwqu";
  const shopJid = `${shop}@${DEMO_DOMAIN}`;
  const ask = async (body: string) => {
    const reply = next(
      (s) => s.is("message") && s.attrs.from?.startsWith(shopJid) === true,
      "a reply",
    );
    await alice!.send(xml("message", { to: shopJid, type: "chat" }, xml("body", {}, body)));
    return (await reply).getChildText("body") ?? "";
  };
  const queued = await ask("pay 0.01 later");
  expect(queued).toMatch(/To pay, type: confirm ([a-z2-9]{4})/);
  // No wallet to fund it: an estimate, and the exact fee before anything is paid.
  expect(queued).toMatch(/Estimated network fee: .*the exact fee is shown before anything is paid/);
  const code = /confirm ([a-z2-9]{4})/.exec(queued)![1]!;
  expect(await ask(`confirm ${code}`)).toMatch(
    /^Error: the Bitcoin node is unavailable .*stays pending/,
  );

  await world.chain.start();
  const back = next(
    (s) => fromGateway(s) && !/unreachable/.test(statusOf(s)),
    "the presence without it",
  );
  await gateway.tick();
  await back;
  const exact = await ask(`confirm ${code}`);
  const fee = /network fee is now ([\d.]+ BTC) \(only an estimate was shown\)/.exec(exact)?.[1];
  const renewed = /Nothing was paid\. .*type: confirm ([a-z2-9]{4})$/.exec(exact)?.[1];
  expect(renewed).toBeDefined();
  expect(renewed).not.toBe(code);
  expect(await ask(`confirm ${renewed}`)).toMatch(
    new RegExp(`^Sent 0\\.01 BTC to bcrt1q\\w+ \\(network fee ${fee}\\)`),
  );
  await alice!.stop();
}, 120_000);
