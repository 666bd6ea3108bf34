/**
 * The whole product through Prosody with real XMPP clients, on both regtest
 * chains — the sandbox and a real `bitcoind -regtest`: two users register,
 * a deposit is credited after N = 2 confirmations, alice pays bob and an
 * address, bob reads his history, a reorg takes a credited deposit away, an
 * unconfirmed deposit is double-spent, and the node restarts while a send
 * waits for its confirmation.
 */
import { addressToNode } from "@bitcoim/wallet";
import { bitcoindForTests, mineDoubleSpend } from "@bitcoim/wallet/regtest";
import { connectUser, type Element, type User, xml } from "@bitcoim/xmpp/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/index.js";
import { DEMO_DOMAIN, DEMO_HOST, type DemoWorld, setUpDemo } from "../src/demo/setup.js";
import { type RunningGateway, startGateway } from "../src/lifecycle/start.js";
import { createLogger } from "../src/log.js";
import { startXmpp } from "../src/xmpp.js";

const binary = bitcoindForTests("the gateway's end-to-end test");
describe("end to end on the sandbox chain", () => endToEnd("sandbox"));
describe.skipIf(binary === undefined)("end to end on bitcoind -regtest", () =>
  endToEnd("bitcoind"),
);

function endToEnd(chain: "sandbox" | "bitcoind") {
  let world: DemoWorld;
  let gateway: RunningGateway;
  let alice: User;
  let bob: User;

  beforeAll(async () => {
    world = await setUpDemo(["alice", "bob"], {
      chain,
      ...(binary === undefined ? {} : { binary }),
      gateway: "confirmations = 2\npoll_interval = 3600",
    });
    const config = await loadConfig({ path: world.configPath, env: {} });
    gateway = await startGateway({
      config,
      log: createLogger({ level: "fatal" }),
      startComponent: startXmpp,
    });
    await world.mine(100); // mature coins enough for every payment from outside
    const clients = await Promise.all(
      world.users.map((u) =>
        connectUser({
          service: world.prosody.c2sService,
          domain: DEMO_HOST,
          username: u.name,
          password: u.password,
        }).then(async (client) => {
          // Online, subscribed both ways: notifications go to online users.
          client.xmpp.on("stanza", (s: Element) => {
            if (s.is("presence") && s.attrs.type === "subscribe") {
              void client.send(xml("presence", { to: s.attrs.from, type: "subscribed" }));
            }
          });
          await client.send(xml("presence"));
          return client;
        }),
      ),
    );
    [alice, bob] = clients as [User, User];
  }, 90_000);
  afterAll(async () => {
    await alice?.stop();
    await bob?.stop();
    await gateway?.stop();
    await world?.close();
  });

  /** The next chat line `client` gets from `from` (bare JID) after now, holding `naming`. */
  const next = (client: User, from: string, what: string, naming = "") => {
    const seen = new Set(client.received);
    return client
      .waitFor(
        (s: Element) =>
          !seen.has(s) &&
          s.is("message") &&
          s.attrs.from?.split("/")[0] === from &&
          Boolean(s.getChildText("body")?.includes(naming)),
        what,
      )
      .then((s) => s.getChildText("body") ?? "");
  };
  const say = async (client: User, to: string, body: string) => {
    const reply = next(client, to, `the reply to "${body}"`);
    await client.send(xml("message", { to, type: "chat" }, xml("body", {}, body)));
    return reply;
  };
  const code = (reply: string) => /confirm ([a-z2-9]{4})/.exec(reply)?.[1] ?? "none";
  const balance = async (client: User) =>
    /Balance: ([\d.]+ BTC)/.exec(await say(client, DEMO_DOMAIN, "balance"))?.[1];
  const depositAddress = async (name: string) => {
    const user = await gateway.accounts.byJid(`${name}@${DEMO_HOST}`);
    return (await gateway.accounts.addresses(user!.id))[0]!.address;
  };
  /** Mines, then runs the gateway's loops once: what the poll would do. */
  const mineAndTick = async (blocks: number) => {
    await world.mine(blocks);
    await gateway.tick();
  };

  it("registers two users in-band and credits a deposit after 2 confirmations", async () => {
    for (const [client, name] of [
      [alice, "alice"],
      [bob, "bob"],
    ] as const) {
      const query = xml("query", { xmlns: "jabber:iq:register" }, xml("username", {}, name));
      const reply = await client.iq(xml("iq", { type: "set", to: DEMO_DOMAIN }, query));
      expect(reply.attrs.type).toBe("result");
    }
    const address = await depositAddress("alice");
    const seen = next(alice, DEMO_DOMAIN, "the deposit seen");
    const txid = await world.outside.sendToAddress({ address, amount: 50_000_000n });
    await gateway.tick();
    expect(await seen).toMatch(new RegExp(`^Incoming: 0\\.5 BTC .*${txid}`));
    await mineAndTick(1);
    expect(await balance(alice)).toBe("0 BTC");
    const credited = next(alice, DEMO_DOMAIN, "the deposit credited");
    await mineAndTick(1);
    expect(await credited).toMatch(/^Received 0\.5 BTC .*Your balance: 0\.5 BTC/);
  });

  it("pays bob by username and an address on-chain; bob's history shows it", async () => {
    const paid = next(bob, DEMO_DOMAIN, "bob told he was paid");
    const asked = await say(alice, `bob@${DEMO_DOMAIN}`, "pay 0.1 dinner");
    expect(await say(alice, `bob@${DEMO_DOMAIN}`, `confirm ${code(asked)}`)).toMatch(/0\.1 BTC/);
    expect(await paid).toMatch(/^alice paid you 0\.1 BTC \(“dinner”\)/);
    const shop = await world.outside.getNewAddress("shop", "bech32");
    const shopJid = `${addressToNode(shop)}@${DEMO_DOMAIN}`;
    const order = await say(alice, shopJid, "pay 0.05 shoes");
    const sent = await say(alice, shopJid, `confirm ${code(order)}`);
    const txid = /Transaction: ([0-9a-f]{64})/.exec(sent)?.[1] ?? "";
    expect((await world.outside.getTransaction(txid)).amount).toBe(5_000_000n);
    const history = await say(bob, DEMO_DOMAIN, "history");
    expect(history).toMatch(/0\.1 BTC/);
    expect(history).toMatch(/alice/);
  });

  it("restarts the node while a send waits for confirmations, then confirms it", async () => {
    const shop = await world.outside.getNewAddress("", "bech32");
    const shopJid = `${addressToNode(shop)}@${DEMO_DOMAIN}`;
    const order = await say(alice, shopJid, "pay 0.02 later");
    const sent = await say(alice, shopJid, `confirm ${code(order)}`);
    const txid = /Transaction: ([0-9a-f]{64})/.exec(sent)?.[1] ?? "";
    await world.chain.stop();
    await gateway.tick(); // the loops meet no node and carry on
    await world.chain.start();
    // The node kept its mempool across the restart (Core's mempool.dat).
    expect(await world.chain.node().call("getrawmempool")).toContain(txid);
    const confirmed = next(alice, DEMO_DOMAIN, "the send confirmed", txid);
    await mineAndTick(2);
    expect(await confirmed).toMatch(
      new RegExp(`^Your payment of 0\\.02 BTC .*is confirmed.*${txid}`),
    );
  });

  it("takes back a credited deposit that a reorg removes", async () => {
    const address = await depositAddress("bob");
    const txid = await world.outside.sendToAddress({ address, amount: 30_000_000n });
    const [block] = await world.chain.mine(1);
    const credited = next(bob, DEMO_DOMAIN, "bob's deposit credited");
    await mineAndTick(1);
    expect(await credited).toMatch(/^Received 0\.3 BTC/);
    const before = await balance(bob);
    const reversed = next(bob, DEMO_DOMAIN, "bob's deposit taken back");
    await world.outside.call("invalidateblock", [block]);
    await gateway.tick();
    expect(await reversed).toMatch(
      new RegExp(`^A deposit of 0\\.3 BTC \\(transaction ${txid}\\) was taken back`),
    );
    expect(await balance(bob)).not.toBe(before);
  });

  it("tells a user their unconfirmed deposit was double-spent, and never credits it", async () => {
    const address = await depositAddress("alice");
    await world.mine(1); // the payer's coin is confirmed, so a block can spend it instead
    const before = await balance(alice);
    const seen = next(alice, DEMO_DOMAIN, "the deposit seen");
    const txid = await world.outside.sendToAddress({ address, amount: 20_000_000n });
    await gateway.tick();
    expect(await seen).toMatch(/^Incoming: 0\.2 BTC/);
    const dropped = next(alice, DEMO_DOMAIN, "the deposit dropped");
    await mineDoubleSpend(world.outside, txid, [
      { [await world.outside.getNewAddress("", "bech32")]: "0.01" },
    ]);
    await gateway.tick();
    expect(await dropped).toMatch(
      new RegExp(`^The incoming 0\\.2 BTC .*${txid}.* will not arrive`),
    );
    await mineAndTick(2);
    expect(await balance(alice)).toBe(before);
    expect((await gateway.accounts.audit()).problems).toEqual([]);
  });
}
