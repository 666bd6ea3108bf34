/**
 * Notifications of balance changes (docs/behaviour.md §6–7): deposits
 * seen and credited, payments received, on-chain payments confirmed — each
 * a chat message, with the gateway's presence resent to online users.
 */
import { btc } from "@bitcoim/accounts/testing";
import { formatAmount } from "@bitcoim/wallet";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startNotifications } from "../src/notify.js";
import type { Presence } from "../src/presence.js";
import { txLinker } from "../src/services.js";
import { ask, bodyOf, type ChatWorld, codeIn, createChatWorld } from "./chat-world.js";
import { type Element, type User, xml } from "./client.js";
import { goOnline, HOST, presenceIn } from "./world.js";

/** A block explorer, as an operator configures one ({txid} is the placeholder). */
const EXPLORER_TX = "https://explorer.example/tx/{txid}";

vi.setConfig({ testTimeout: 30_000 });

let w: ChatWorld;
let presence: Presence;
let stop: () => void;
let alice: User;
let bob: User;
let carol: User;
let aliceAddress: string;
let carolAddress: string;

beforeAll(async () => {
  w = await createChatWorld({
    presence: (world) => {
      presence = presenceIn(world);
      return presence.handler;
    },
  });
  stop = startNotifications({
    accounts: w.world.accounts,
    orders: w.chatOrders,
    jids: w.gateway.component.jids,
    send: (s) => w.gateway.component.send(s),
    refresh: (user, known) => presence.refresh(user, known),
    log: w.log,
    txLink: txLinker(EXPLORER_TX),
  });
  const { accounts } = w.world;
  aliceAddress = (await accounts.register(`alice@${HOST}`, "alice")).addresses[0]!.address;
  await accounts.register(`bob@${HOST}`, "bob");
  carolAddress = (await accounts.register(`carol@${HOST}`, "carol", { language: "fr" }))
    .addresses[0]!.address;
  [alice, bob, carol] = await Promise.all([w.user("alice"), w.user("bob"), w.user("carol")]);
  for (const u of [alice, bob, carol]) {
    await goOnline(u);
    // Online for the gateway: a directed presence, which brings its presences back.
    const seen = new Set(u.received);
    await u.send(xml("presence", { to: w.domain }));
    await u.waitFor((s) => !seen.has(s) && s.attrs.from === w.domain && s.is("presence"));
  }
}, 120_000);

afterAll(async () => {
  stop?.();
  await w?.close();
});

const next = (user: User, match: (s: Element) => boolean, what: string) => {
  const seen = new Set(user.received);
  return user.waitFor((s) => !seen.has(s) && match(s), what, 15_000);
};
const chatFromGateway = (s: Element) => s.is("message") && s.attrs.from === w.domain;
const gatewayStatus = (s: Element) =>
  s.is("presence") && s.attrs.from === w.domain ? (s.getChildText("status") ?? "") : "";

describe("deposits", () => {
  it("a deposit seen, then credited, is told, and the presence shows it", async () => {
    const seenMessage = next(alice, chatFromGateway, "the deposit seen");
    const pendingPresence = next(alice, (s) => gatewayStatus(s).includes("pending"), "a presence");
    const txid = await w.world.pay(aliceAddress, btc("0.5"));
    await w.world.scan();
    const seen = bodyOf(await seenMessage);
    expect(seen).toBe(
      `Incoming: 0.5 BTC on ${aliceAddress} (transaction ${txid}, 0 confirmations). It counts once confirmed.\nhttps://explorer.example/tx/${txid}`,
    );
    expect(gatewayStatus(await pendingPresence)).toBe(
      "hello alice, balance 0 BTC (+0.5 BTC pending)",
    );

    const credited = next(alice, chatFromGateway, "the deposit credited");
    const presenceNow = next(
      alice,
      (s) => gatewayStatus(s) === "hello alice, balance 0.5 BTC",
      "p",
    );
    await w.world.mine(1);
    await w.world.scan();
    expect(bodyOf(await credited)).toBe(
      `Received 0.5 BTC on ${aliceAddress} (transaction ${txid}). Your balance: 0.5 BTC.\nhttps://explorer.example/tx/${txid}`,
    );
    await presenceNow;
  });

  it("in the user's stored language", async () => {
    const told = next(carol, chatFromGateway, "the deposit seen");
    await w.world.pay(carolAddress, btc("0.25"));
    await w.world.scan();
    const message = await told;
    expect(message.attrs["xml:lang"]).toBe("fr");
    expect(bodyOf(message)).toMatch(/^Arrivée : 0,25 BTC sur /);
  });
});

describe("payments", () => {
  it("the recipient of an internal payment is told, and both presences change", async () => {
    const bobJid = w.gateway.component.jids.usernameJid("bob");
    const code = codeIn(bodyOf(await ask(alice, bobJid, "pay 0.1 pizza", { from: bobJid })));
    const told = next(bob, chatFromGateway, "the payment received");
    const bobPresence = next(bob, (s) => gatewayStatus(s) === "hello bob, balance 0.1 BTC", "p");
    const alicePresence = next(
      alice,
      (s) => gatewayStatus(s) === "hello alice, balance 0.4 BTC",
      "p",
    );
    expect(bodyOf(await ask(alice, bobJid, `confirm ${code}`, { from: bobJid }))).toMatch(
      /^Paid 0\.1 BTC to bob/,
    );
    expect(bodyOf(await told)).toBe("alice paid you 0.1 BTC (“pizza”). Your balance: 0.1 BTC.");
    await Promise.all([bobPresence, alicePresence]);
  });

  it("an on-chain payment's confirmation is told", async () => {
    const outside = (await w.world.outside.getNewAddress("", "bech32")) as string;
    const to = w.gateway.component.jids.addressJid(outside);
    const code = codeIn(bodyOf(await ask(alice, to, "pay 0.01", { from: to })));
    const sent = bodyOf(await ask(alice, to, `confirm ${code}`, { from: to }));
    const txid = /Transaction: ([0-9a-f]{64})/.exec(sent)?.[1];
    const told = next(alice, (s) => chatFromGateway(s) && bodyOf(s).includes("confirmed"), "told");
    await w.world.mine(1);
    await w.chatOrders.trackSends(1);
    expect(bodyOf(await told)).toBe(
      `Your payment of 0.01 BTC to ${outside} is confirmed (1 confirmations, transaction ${txid}).\nhttps://explorer.example/tx/${txid}`,
    );
  });
});

describe("a double spend", () => {
  it("an on-chain payment double-spent on the network is told, and the money comes back", async () => {
    await w.world.mine(1); // its input confirmed, so that a block can spend it instead
    const aliceUser = (await w.world.accounts.byUsername("alice"))!;
    const before = (await w.world.accounts.balance(aliceUser.id)).confirmed;
    const outside = (await w.world.outside.getNewAddress("", "bech32")) as string;
    const to = w.gateway.component.jids.addressJid(outside);
    const code = codeIn(bodyOf(await ask(alice, to, "pay 0.02", { from: to })));
    const sent = bodyOf(await ask(alice, to, `confirm ${code}`, { from: to }));
    const txid = /Transaction: ([0-9a-f]{64})/.exec(sent)![1]!;
    const { gw } = w.world;
    const [input] = (await gw.decodeRawTransaction((await gw.getTransaction(txid)).hex)).inputs;
    const away = await w.world.outside.getNewAddress("", "bech32");
    const draft = await gw.call("createrawtransaction", [[input], [{ [away]: "0.001" }]]);
    const { hex } = await gw.signRawTransactionWithWallet(draft as string);
    await gw.call("generateblock", [away, [hex]]);

    const told = next(
      alice,
      (s) => chatFromGateway(s) && bodyOf(s).includes("did not go out"),
      "told",
    );
    // The presence shows the balance back to what it was before the payment.
    const restored = next(
      alice,
      (s) => gatewayStatus(s) === `hello alice, balance ${formatAmount(before)} BTC`,
      "the presence",
    );
    await w.chatOrders.trackSends(1);
    const other = (await gw.decodeRawTransaction(hex)).txid;
    expect(other).not.toBe(txid);
    expect(bodyOf(await told)).toBe(
      `Your payment of 0.02 BTC to ${outside} did not go out: another transaction spending the same coins was confirmed instead of ${txid}. The amount and the fee are back in your balance.\nhttps://explorer.example/tx/${txid}`,
    );
    expect((await w.world.accounts.balance(aliceUser.id)).confirmed).toBe(before);
    await restored;
  });
});

describe("a double-spent deposit", () => {
  it("is told it will not arrive, and the pending amount leaves the presence", async () => {
    await w.world.mine(1); // the payer's coin confirmed, so that a block can spend it instead
    const { outside } = w.world;
    const seen = next(alice, (s) => chatFromGateway(s) && bodyOf(s).startsWith("Incoming"), "seen");
    const txid = await w.world.pay(aliceAddress, btc("0.03"));
    await w.world.scan();
    await seen;
    const [input] = (await outside.decodeRawTransaction((await outside.getTransaction(txid)).hex))
      .inputs;
    const back = await outside.getNewAddress("", "bech32");
    const draft = await outside.call("createrawtransaction", [[input], [{ [back]: "0.01" }]]);
    const { hex } = await outside.signRawTransactionWithWallet(draft as string);
    await outside.call("generateblock", [back, [hex]]);
    const told = next(
      alice,
      (s) => chatFromGateway(s) && bodyOf(s).includes("will not arrive"),
      "told",
    );
    const noPending = next(
      alice,
      (s) => /^hello alice, balance [\d.]+ BTC$/.test(gatewayStatus(s)),
      "p",
    );
    await w.world.scan();
    expect(bodyOf(await told)).toBe(
      `The incoming 0.03 BTC on ${aliceAddress} (transaction ${txid}) will not arrive: another transaction spending the same coins was confirmed instead.\nhttps://explorer.example/tx/${txid}`,
    );
    await noPending;
  });
});

describe("a chain reorganisation", () => {
  it("a deposit taken back is told with the debt, and blocked payments say why", async () => {
    const { accounts } = w.world;
    const registered = await accounts.register(`erin@${HOST}`, "erin");
    const erinId = registered.user.id;
    const erin = await w.user("erin");
    await goOnline(erin);
    const txid = await w.world.pay(registered.addresses[0]!.address, btc("0.3"));
    const [block] = await w.world.mine(1);
    const credited = next(erin, (s) => chatFromGateway(s) && bodyOf(s).startsWith("Received"), "c");
    await w.world.scan();
    await credited;
    const bob = (await accounts.byUsername("bob"))!;
    await accounts.transfer({
      fromUserId: erinId,
      toUserId: bob.id,
      amount: btc("0.2"),
      idempotencyKey: "erin-spends",
    });

    const reversed = next(erin, (s) => chatFromGateway(s) && bodyOf(s).includes("taken back"), "r");
    await w.world.outside.call("invalidateblock", [block]);
    await w.world.scan();
    expect(bodyOf(await reversed)).toBe(
      `A deposit of 0.3 BTC (transaction ${txid}) was taken back by the network. You now owe 0.2 BTC; your outgoing payments are blocked until it is settled.\nhttps://explorer.example/tx/${txid}`,
    );

    const bobJid = w.gateway.component.jids.usernameJid("bob");
    // From bob's JID only: the deposit, back in the mempool, is announced again meanwhile.
    const summary = bodyOf(await ask(erin, bobJid, "pay 1 sat", { from: bobJid }));
    const refused = bodyOf(await ask(erin, bobJid, `confirm ${codeIn(summary)}`, { from: bobJid }));
    expect(refused).toMatch(/^Error: your outgoing payments are blocked: a deposit \(/);
    expect((await accounts.balance(bob.id)).confirmed).toBe(btc("0.3"));
  });
});
