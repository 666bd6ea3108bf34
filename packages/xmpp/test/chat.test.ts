/**
 * Chat commands end to end (docs/behaviour.md §7): real users on a real
 * Prosody write to the gateway, to a user and to addresses; the ledger and
 * orders run on PGlite and the sandbox chain.
 */
import { btc } from "@bitcoim/accounts/testing";
import { OrdersError } from "@bitcoim/orders";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createChatHandler, NS_CORRECTION } from "../src/chat.js";
import { describeError } from "../src/commands/index.js";
import type { StanzaHandler } from "../src/dispatch.js";
import { en } from "../src/i18n/en.js";
import { fr as frCat } from "../src/i18n/fr.js";
import { createRateLimit } from "../src/rate-limit.js";
import { xml as gxml } from "../src/xml.js";
import {
  ask,
  ask as askIn,
  bodyOf,
  type ChatWorld,
  codeIn,
  createChatWorld,
} from "./chat-world.js";
import { type User, xml } from "./client.js";
import { goOnline, HOST } from "./world.js";

vi.setConfig({ testTimeout: 20_000 });

let w: ChatWorld;
let alice: User;
let bob: User;
let carol: User;
let gateway: string;
let bobJid: string;
let aliceAddress: string;
let outsideAddress: string;

beforeAll(async () => {
  w = await createChatWorld();
  gateway = w.domain;
  const { accounts } = w.world;
  const registered = await accounts.register(`alice@${HOST}`, "alice");
  await accounts.register(`bob@${HOST}`, "bob");
  await accounts.register(`carol@${HOST}`, "carol", { language: "fr" });
  aliceAddress = registered.addresses[0]!.address;
  await w.world.pay(aliceAddress, btc("1"));
  await w.world.mine(1);
  await w.world.scan();
  outsideAddress = (await w.world.outside.getNewAddress("", "bech32")) as string;
  [alice, bob, carol] = await Promise.all([w.user("alice"), w.user("bob"), w.user("carol")]);
  bobJid = w.gateway.component.jids.usernameJid("bob");
}, 120_000);

afterAll(async () => {
  await w?.close();
});

describe("who may write", () => {
  it("an unregistered sender gets a chat reply telling them how to register", async () => {
    const dave = await w.user("dave");
    const reply = await ask(dave, gateway, "balance");
    expect(reply.attrs.type).toBe("chat");
    expect(bodyOf(reply)).toMatch(/^You are not registered.*register <username>/);
  });

  it("empty bodies are ignored", async () => {
    const before = alice.received.length;
    await alice.send(xml("message", { to: gateway, type: "chat" }, xml("body", {}, "  ")));
    const reply = await ask(alice, gateway, "balance");
    expect(bodyOf(reply)).toMatch(/^Balance/);
    expect(alice.received.slice(before).filter((s) => s.is("message"))).toHaveLength(1);
  });
});

describe("paying a user", () => {
  it("pay is refused at the gateway", async () => {
    const reply = await ask(alice, gateway, "pay 0.1");
    expect(bodyOf(reply)).toMatch(/^Error: .*JID/);
  });

  it("a prefix pays, confirm executes once, and a second confirm says it is paid", async () => {
    const summary = await ask(alice, bobJid, "p 0,1 for the  bike");
    expect(summary.attrs).toMatchObject({ from: bobJid, type: "chat" });
    expect(bodyOf(summary)).toContain("0.1 BTC to bob");
    expect(bodyOf(summary)).toContain("for the  bike");
    expect(bodyOf(summary)).not.toContain("fee");
    const code = codeIn(bodyOf(summary));
    const paid = await ask(alice, bobJid, `conf ${code.toUpperCase()}`);
    expect(bodyOf(paid)).toBe("Paid 0.1 BTC to bob. Your balance: 0.9 BTC.");
    expect(
      (await w.world.accounts.balance((await w.world.accounts.byUsername("bob"))!.id)).confirmed,
    ).toBe(btc("0.1"));
    const again = await ask(alice, bobJid, `confirm ${code}`);
    expect(bodyOf(again)).toBe(`Error: payment ${code} is already paid.`);
  });

  it("amounts are checked, and a bad one queues nothing", async () => {
    for (const [body, text] of [
      ["pay", /How much/],
      ["pay -1", /negative/],
      ["pay 1,000.5", /thousands/],
      ["pay 1 000 rent", /thousands/],
      ["pay abc", /“abc” is not an amount/],
      ["pay 0", /more than zero/],
    ] as const) {
      expect(bodyOf(await ask(alice, bobJid, body))).toMatch(text);
    }
    expect(
      await w.chatOrders.listPending((await w.world.accounts.byUsername("alice"))!.id),
    ).toEqual([]);
  });

  it("an ambiguous prefix lists the candidates; an unknown word says so", async () => {
    expect(bodyOf(await ask(alice, bobJid, "c"))).toBe(
      "Error: “c” could be confirm, cancel. Type a few more letters.",
    );
    expect(bodyOf(await ask(alice, bobJid, "dance"))).toMatch(/^Error: I do not know “dance”/);
  });

  it("confirm elsewhere names the recipient; someone else's code is not found", async () => {
    const code = codeIn(bodyOf(await ask(alice, bobJid, "pay 0.01")));
    const there = await ask(alice, `${aliceAddress}@${gateway}`, `confirm ${code}`);
    expect(bodyOf(there)).toMatch(/^Error: that code is for a payment to bob/);
    const theirs = await ask(bob, bobJid.replace("bob", "alice"), `confirm ${code}`);
    expect(bodyOf(theirs)).toBe(`Error: you have no pending payment with the code ${code}.`);
    const list = bodyOf(await ask(alice, gateway, "confirm"));
    expect(list).toMatch(new RegExp(`${code}  .* UTC  0\\.01 BTC → bob`));
    const cancelled = await ask(alice, `${aliceAddress}@${gateway}`, `cancel ${code}`);
    expect(bodyOf(cancelled)).toContain("Note: that order was for bob, not for this contact.");
    expect(bodyOf(await ask(alice, gateway, "cancel"))).toBe("You have no pending payments.");
  });

  it("confirm reads the sender, the contact and the payment in one call, and falls back where it must", async () => {
    // Users of their own, so that the balances other tests read stay as they are.
    const { accounts } = w.world;
    const { user: daveUser, addresses } = await accounts.register(`dave@${HOST}`, "dave");
    const { user: erinUser } = await accounts.register(`erin@${HOST}`, "erin");
    await w.world.pay(addresses[0]!.address, btc("0.01"));
    await w.world.mine(1);
    await w.world.scan();
    const dave = await w.user("dave");
    const erinJid = w.gateway.component.jids.usernameJid("erin");
    const payErin = async () => codeIn(bodyOf(await ask(dave, erinJid, "pay 1000 sat")));
    const confirmAs = vi.spyOn(w.chatOrders, "confirmAs");
    const lookups = vi.spyOn(accounts, "byJidAndUsername");
    try {
      const code = await payErin();
      lookups.mockClear();
      const paid = bodyOf(await ask(dave, erinJid, `confirm ${code}`));
      expect(paid).toBe("Paid 0.00001 BTC to erin. Your balance: 0.00999 BTC.");
      expect(confirmAs).toHaveBeenCalledTimes(1);
      expect(lookups).not.toHaveBeenCalled();
      // Written to the gateway, the payee is named from the same call.
      const again = await payErin();
      expect(bodyOf(await ask(dave, gateway, `confirm ${again}`))).toMatch(
        /^Paid 0\.00001 BTC to erin\./,
      );
      expect(confirmAs).toHaveBeenCalledTimes(2);
      // A word only French reads as confirm: the usual way, in French.
      confirmAs.mockClear();
      const third = await payErin();
      const french = bodyOf(await ask(dave, erinJid, `confirmer ${third}`, { lang: "fr" }));
      expect(french).toMatch(/^0,00001 BTC payés à erin/);
      expect(confirmAs).not.toHaveBeenCalled();
      // An order to one of our addresses: confirmAs pays nothing, confirm pays it once.
      const [deposit] = await accounts.addresses(erinUser.id);
      const at = w.gateway.component.jids.addressJid(deposit!.address);
      const fourth = codeIn(bodyOf(await ask(dave, at, "pay 1000 sat")));
      expect(bodyOf(await ask(dave, gateway, `confirm ${fourth}`))).toMatch(/^Paid 0\.00001 BTC/);
      expect(confirmAs).toHaveBeenCalledTimes(1);
      expect((await accounts.balance(erinUser.id)).confirmed).toBe(4000n);
      // Written to a name nobody holds: nothing paid, and said so.
      const fifth = await payErin();
      const nobody = w.gateway.component.jids.usernameJid("nobody");
      expect(bodyOf(await ask(dave, nobody, `confirm ${fifth}`))).toMatch(/^Error: .*nobody/);
      expect((await w.chatOrders.find(daveUser.id, fifth))?.status).toBe("pending");
      expect((await accounts.balance(daveUser.id)).confirmed).toBe(btc("0.01") - 4000n);
      // Too low a balance: refused once, in the usual words, and nothing moves.
      const big = codeIn(bodyOf(await ask(dave, erinJid, "pay 0.5")));
      expect(bodyOf(await ask(dave, erinJid, `confirm ${big}`))).toBe(
        "Error: your balance is too low for this payment.",
      );
      expect((await w.chatOrders.find(daveUser.id, big))?.status).toBe("pending");
      // A correction never runs, not even in one call.
      confirmAs.mockClear();
      const edit = xml("replace", { xmlns: NS_CORRECTION, id: "x" });
      const refusedEdit = await ask(dave, erinJid, `confirm ${fifth}`, { extra: edit });
      expect(bodyOf(refusedEdit)).toMatch(/not executed/);
      expect(confirmAs).not.toHaveBeenCalled();
      expect((await w.chatOrders.find(daveUser.id, fifth))?.status).toBe("pending");
      expect((await accounts.balance(daveUser.id)).confirmed).toBe(btc("0.01") - 4000n);
    } finally {
      confirmAs.mockRestore();
      lookups.mockRestore();
      await dave.stop();
    }
  });

  it("an expired code is not found", async () => {
    const code = codeIn(bodyOf(await ask(alice, bobJid, "pay 0.01")));
    w.clock.advance(11 * 60_000);
    expect(bodyOf(await ask(alice, bobJid, `confirm ${code}`))).toMatch(/no pending payment/);
    expect(bodyOf(await ask(alice, gateway, "confirm"))).toBe("You have no pending payments.");
  });

  it("insufficient funds warn at pay and refuse at confirm, debiting nothing", async () => {
    const summary = bodyOf(
      await ask(bob, `${w.gateway.component.jids.usernameJid("alice")}`, "pay 5"),
    );
    expect(summary).toMatch(/does not cover it/);
    const refused = await ask(
      bob,
      w.gateway.component.jids.usernameJid("alice"),
      `confirm ${codeIn(summary)}`,
    );
    expect(bodyOf(refused)).toBe("Error: your balance is too low for this payment.");
    const bobId = (await w.world.accounts.byUsername("bob"))!.id;
    expect((await w.world.accounts.balance(bobId)).confirmed).toBe(btc("0.1"));
  });

  it("a correction is never executed", async () => {
    const code = codeIn(bodyOf(await ask(alice, bobJid, "pay 0.02")));
    const edit = xml("replace", { xmlns: NS_CORRECTION, id: "whatever" });
    const reply = await ask(alice, bobJid, `confirm ${code}`, { extra: edit });
    expect(bodyOf(reply)).toMatch(/not executed/);
    const aliceId = (await w.world.accounts.byUsername("alice"))!.id;
    expect((await w.chatOrders.listPending(aliceId)).map((o) => o.code)).toEqual([code]);
    await ask(alice, bobJid, `cancel ${code}`);
  });
});

describe("paying an address", () => {
  it("shows the exact fee, then sends on-chain at that fee and gives the txid", async () => {
    const to = w.gateway.component.jids.addressJid(outsideAddress);
    const summary = bodyOf(await ask(alice, to, "pay 10000 sat rent"));
    expect(summary).toContain(`0.0001 BTC to ${outsideAddress}`);
    const fee = /\nNetwork fee: (0\.0000\d+ BTC), paid by you on top\.\n/.exec(summary)?.[1];
    expect(fee).toBeDefined();
    const sent = bodyOf(await ask(alice, to, `confirm ${codeIn(summary)}`));
    const txid = /Transaction: ([0-9a-f]{64})\n/.exec(sent)?.[1];
    expect(sent).toMatch(
      new RegExp(
        `^Sent 0\\.0001 BTC to ${outsideAddress} \\(network fee ${fee}\\)\\. Transaction: ${txid}`,
      ),
    );
    // Then, on a line of its own, where to look it up (the configured explorer).
    expect(sent.split("\n").at(-1)).toBe(`https://explorer.example/tx/${txid}`);
  });

  it("asks again, naming the new fee, when the fee shown can no longer be met", async () => {
    const to = w.gateway.component.jids.addressJid(outsideAddress);
    const summary = bodyOf(await ask(alice, to, "pay 20000 sat"));
    const code = codeIn(summary);
    // As if the coins the fee was read from were spent since, for a fee no funding meets.
    await w.world.database.db.execute(
      `update bitcoim.fee_quotes set fee = 1 where order_id = (select id from bitcoim.payment_orders where code = '${code}' and status = 'pending')`,
    );
    const before = await w.world.accounts.balance((await w.world.accounts.byUsername("alice"))!.id);
    const asked = bodyOf(await ask(alice, to, `confirm ${code}`));
    const fee = /is now (0\.0000\d+ BTC) \(you were shown 0\.00000001 BTC\)/.exec(asked)?.[1];
    const renewed =
      /Nothing was paid\. To pay it at .* with its new code, type: confirm ([a-z2-9]{4})$/.exec(
        asked,
      )?.[1];
    expect(renewed).toBeDefined();
    expect(renewed).not.toBe(code);
    expect(fee).toBeDefined();
    expect(
      await w.world.accounts.balance((await w.world.accounts.byUsername("alice"))!.id),
    ).toEqual(before);
    expect(bodyOf(await ask(alice, to, `confirm ${code}`))).toMatch(/no pending payment/);
    // The pending list names the new code with the new fee, for a payer who missed the answer.
    const listed = bodyOf(await ask(alice, to, "confirm")).split("\n");
    expect(listed.find((l) => l.startsWith(renewed!))).toMatch(
      new RegExp(`0\\.0002 BTC → ${outsideAddress} \\+ network fee ${fee}`),
    );
    const sent = bodyOf(await ask(alice, to, `confirm ${renewed}`));
    expect(sent).toMatch(
      new RegExp(`^Sent 0\\.0002 BTC to ${outsideAddress} \\(network fee ${fee}\\)`),
    );
  });

  it("a bare address at the gateway is answered from that address's JID", async () => {
    const from = w.gateway.component.jids.addressJid(outsideAddress);
    const reply = await ask(alice, gateway, outsideAddress, { from });
    expect(bodyOf(reply)).toMatch(/Write pay <amount>/);
  });

  it("an address of another user is paid internally, without a network fee", async () => {
    const bob = (await w.world.accounts.byUsername("bob"))!;
    const [deposit] = await w.world.accounts.addresses(bob.id);
    const to = w.gateway.component.jids.addressJid(deposit!.address);
    const summary = bodyOf(await ask(alice, to, "pay 1000 sat"));
    expect(summary).not.toMatch(/fee/);
    const paid = bodyOf(await ask(alice, to, `confirm ${codeIn(summary)}`));
    expect(paid).toMatch(new RegExp(`^Paid 0\\.00001 BTC to ${deposit!.address}\\.`));
    // Written to that address, history shows the payment made to it.
    const there = bodyOf(await ask(alice, to, "history"));
    expect(there).toMatch(/-0\.00001 BTC {2}to bob/);
    expect(there.split("\n")).toHaveLength(2); // the header and this payment only
  });

  it("an on-chain payment below the dust limit is refused, and queues nothing", async () => {
    const to = w.gateway.component.jids.addressJid(outsideAddress);
    expect(bodyOf(await ask(alice, to, "pay 100 sat"))).toBe(
      "Error: an on-chain payment must be at least 546 sat (the dust limit).",
    );
    const aliceId = (await w.world.accounts.byUsername("alice"))!.id;
    expect(await w.chatOrders.listPending(aliceId)).toEqual([]);
  });

  it("a user JID naming nobody says so", async () => {
    const reply = await ask(alice, `nobody@${gateway}`, "pay 1");
    expect(bodyOf(reply)).toBe("Error: There is no user nobody here.");
  });

  it("paying one's own address is refused", async () => {
    const to = w.gateway.component.jids.addressJid(aliceAddress);
    expect(bodyOf(await ask(alice, to, "pay 0.1"))).toBe(
      "Error: that is one of your own deposit addresses.",
    );
  });
});

describe("information", () => {
  it("balance shows confirmed and pending apart", async () => {
    const reply = bodyOf(await ask(bob, gateway, "bal"));
    expect(reply).toBe("Balance: 0.10001 BTC\nPending deposits (not confirmed yet): 0 BTC");
  });

  it("history lists movements, only those with the contact written to, with paging", async () => {
    const all = bodyOf(await ask(alice, gateway, "hist"));
    expect(all).toMatch(/page 1/);
    expect(all).toMatch(/-0\.1 BTC {2}to bob {2}“for the {2}bike”/);
    expect(all).toMatch(/\+1 BTC {2}deposit, \w+ \(1 confirmations\)/);
    expect(all).toMatch(
      /-0\.0001 BTC {2}sent to \w+ \(sent, not confirmed yet, network fee 0\.\d+ BTC\) {2}“rent”/,
    );
    const withBob = bodyOf(await ask(alice, bobJid, "history"));
    expect(withBob).toMatch(/with bob/);
    expect(withBob).not.toMatch(/deposit/);
    expect(bodyOf(await ask(alice, gateway, "history 2"))).toBe("Nothing on page 2.");
    expect(bodyOf(await ask(alice, gateway, "history x"))).toMatch(/^Error: “x” is not a page/);
  });

  it("history pages by 20, latest first", async () => {
    const { accounts } = w.world;
    const [bobId, carolId] = [
      (await accounts.byUsername("bob"))!.id,
      (await accounts.byUsername("carol"))!.id,
    ];
    for (let i = 1; i <= 21; i++) {
      await accounts.transfer({
        fromUserId: bobId,
        toUserId: carolId,
        amount: BigInt(i),
        memo: `n${i}`,
        idempotencyKey: `paging:${i}`,
      });
    }
    const page1 = bodyOf(await ask(carol, gateway, "history")).split("\n");
    expect(page1).toHaveLength(22); // header, 20 lines, "More: history 2"
    expect(page1[1]).toMatch(/\+0\.00000021 BTC {2}from bob {2}“n21”$/);
    expect(page1.at(-1)).toBe("More: history 2");
    const page2 = bodyOf(await ask(carol, gateway, "history 2")).split("\n");
    expect(page2).toHaveLength(2);
    expect(page2[1]).toMatch(/\+0\.00000001 BTC {2}from bob {2}“n1”$/);
  });

  it("help lists what makes sense where it is written, or one command's usage", async () => {
    const atGateway = bodyOf(await ask(alice, gateway, "help"));
    expect(atGateway).toMatch(/address \[new\]/);
    expect(atGateway).not.toMatch(/^pay/m);
    const atBob = bodyOf(await ask(alice, bobJid, "he"));
    expect(atBob).toMatch(/^pay <amount>/m);
    expect(atBob).not.toMatch(/address \[new\]/);
    expect(bodyOf(await ask(alice, bobJid, "help conf"))).toMatch(/^confirm \[<code>\]/);
  });

  it("address lists deposit addresses; `address new` adds one and asks to subscribe", async () => {
    const list = bodyOf(await ask(alice, gateway, "addr"));
    expect(list).toContain(`bitcoin:${aliceAddress}`);
    await goOnline(alice); // servers hold subscription requests for offline resources
    const seen = new Set(alice.received);
    const made = bodyOf(await ask(alice, gateway, "address new"));
    const address = /New deposit address: (\S+)/.exec(made)?.[1];
    expect(address).toBeDefined();
    const subscribe = await alice.waitFor(
      (s) => !seen.has(s) && s.is("presence") && s.attrs.type === "subscribe",
    );
    expect(subscribe.attrs.from).toBe(w.gateway.component.jids.addressJid(address!));
    expect(bodyOf(await ask(alice, bobJid, "address"))).toMatch(/^Error: address works only/);
  });
});

describe("French", () => {
  it("answers in French by xml:lang, with French words and English ones", async () => {
    const reply = await ask(alice, gateway, "solde", { lang: "fr" });
    expect(reply.attrs["xml:lang"]).toBe("fr");
    expect(bodyOf(reply)).toMatch(/^Solde : 0,\d+ BTC/);
    expect(bodyOf(await ask(alice, gateway, "balance", { lang: "fr" }))).toMatch(/^Solde :/);
    expect(bodyOf(await ask(alice, bobJid, "payer", { lang: "fr" }))).toMatch(/^Erreur : Combien/);
  });

  it("lists French candidates and refuses in French", async () => {
    // Prosody stamps every stanza with its stream's xml:lang ("en" by default), so the
    // stored language shows in notifications; here the stanza's own xml:lang decides.
    const ask = (u: User, to: string, body: string) => askIn(u, to, body, { lang: "fr" });
    expect(bodyOf(await ask(carol, gateway, "a"))).toBe(
      "Erreur : « a » peut vouloir dire annuler, adresse, aide. Tapez quelques lettres de plus.",
    );
    const summary = bodyOf(await ask(carol, bobJid, "pay 0,5"));
    expect(summary).toMatch(/Paiement de 0,5 BTC à bob/);
    expect(bodyOf(await ask(carol, bobJid, `confirmer ${codeIn(summary)}`))).toBe(
      "Erreur : votre solde est insuffisant pour ce paiement.",
    );
  });
});

describe("the handler itself", () => {
  const run = async (handler: StanzaHandler, from: string, body: string) => {
    const to = w.domain;
    const stanza = gxml("message", { from, to, type: "chat" }, gxml("body", {}, body));
    const entity = w.gateway.component.jids.classify(to);
    const replies = await handler({ stanza, from, to, entity, lang: undefined });
    return replies?.map((r) => r.getChildText("body")) ?? [];
  };

  it("refuses politely past the per-user rate limit, each user apart", async () => {
    const handler = createChatHandler({
      accounts: w.world.accounts,
      orders: w.chatOrders,
      jids: w.gateway.component.jids,
      network: "regtest",
      log: w.log,
      rateLimit: createRateLimit({ limit: 2 }),
    });
    const bobFull = `bob@${HOST}/x`;
    expect(await run(handler, bobFull, "balance")).toEqual([expect.stringMatching(/^Balance/)]);
    expect(await run(handler, bobFull, "balance")).toEqual([expect.stringMatching(/^Balance/)]);
    expect(await run(handler, bobFull, "balance")).toEqual([
      "Please slow down: at most 2 commands a minute. Try again in a moment.",
    ]);
    expect(await run(handler, `alice@${HOST}/y`, "balance")).toEqual([
      expect.stringMatching(/^Balance/),
    ]);
  });

  it("words the orders' refusals with what they name", async () => {
    const bobUser = (await w.world.accounts.byUsername("bob"))!;
    const ctx = {
      t: en,
      user: { ...bobUser, blockedReason: "a reorg took back 0.1 BTC" },
      deps: { accounts: w.world.accounts, orders: w.chatOrders, jids: w.gateway.component.jids },
    };
    const say = (error: unknown) => describeError(error, ctx, { code: "abcd" });
    expect(
      await say(new OrdersError("WRONG_RECIPIENT", "x", { recipientUserId: bobUser.id })),
    ).toBe("that code is for a payment to bob; confirm it there.");
    expect(await say(new OrdersError("PAYMENTS_BLOCKED", "x"))).toBe(
      "your outgoing payments are blocked: a reorg took back 0.1 BTC.",
    );
    expect(await say(new OrdersError("FEE_TOO_HIGH", "x", { rate: 300n, estimate: 42_300n }))).toBe(
      "the network fee is too high right now (300 sat/vB, about 0.000423 BTC). Nothing was paid; try again later.",
    );
    expect(
      await say(new OrdersError("FEE_CHANGED", "x", { fee: 2_080n, quoted: 1_410n, code: "k7xq" })),
    ).toBe(
      "this payment's network fee is now 0.0000208 BTC (you were shown 0.0000141 BTC): the gateway's coins changed since. Nothing was paid. To pay it at 0.0000208 BTC with its new code, type: confirm k7xq",
    );
    const unquoted = new OrdersError("FEE_CHANGED", "x", { fee: 2_080n });
    expect(await describeError(unquoted, { ...ctx, t: frCat }, { code: "abcd" })).toBe(
      `les frais de réseau de ce paiement sont maintenant de 0,0000208 BTC (seule une estimation vous avait été indiquée) : les pièces de la passerelle ont changé depuis. Rien n'a été payé. Pour le payer à 0,0000208 BTC avec son nouveau code, tapez : ${frCat.words.confirm} abcd`,
    );
    const overLimit = new OrdersError("FEE_TOO_HIGH", "x", {
      rate: 20n,
      estimate: 3_060n,
      limit: 3_000n,
    });
    expect(await say(overLimit)).toBe(
      "this payment would cost 0.0000306 BTC in network fees (20 sat/vB), more than the limit of 0.00003 BTC. Nothing was paid; try again later.",
    );
    expect(await describeError(overLimit, { ...ctx, t: frCat }, { code: "abcd" })).toBe(
      "ce paiement coûterait 0,0000306 BTC de frais de réseau (20 sat/vB), plus que la limite de 0,00003 BTC. Rien n'a été payé ; réessayez plus tard.",
    );
    expect(await say(new OrdersError("NODE_UNAVAILABLE", "x"))).toMatch(
      /unavailable.*stays pending/,
    );
    expect(await say(new OrdersError("ORDER_NOT_FOUND", "x"))).toMatch(/code abcd/);
    expect(await say(new OrdersError("SENDS_BUSY", "x"))).toMatch(
      /could not get its turn.*stays pending/,
    );
    expect(await say(new OrdersError("WALLET_CANNOT_FUND", "x"))).toMatch(
      /^the gateway's wallet cannot fund this payment right now\. .*stays pending/,
    );
    const refused = new OrdersError("SEND_REJECTED", "x", { reason: "mempool full" });
    expect(await say(refused)).toBe(
      "the Bitcoin network refused this payment for now (mempool full). Nothing was paid and your payment stays pending; try again later, or cancel it.",
    );
    expect(await describeError(refused, { ...ctx, t: frCat })).toMatch(
      /^le réseau Bitcoin refuse ce paiement pour le moment \(mempool full\)\./,
    );
    expect(await say(new OrdersError("SEND_FAILED", "x", { reason: "dust" }))).toBe(
      "the payment could not be sent (dust). Nothing was taken.",
    );
    expect(await say(new OrdersError("POOL_TOO_SMALL", "x"))).toMatch(/tell the operator/);
    expect(await say(new Error("boom"))).toBeUndefined();
    const fr = await describeError(new OrdersError("NODE_UNAVAILABLE", "x"), { ...ctx, t: frCat });
    expect(fr).toMatch(/^le nœud Bitcoin est indisponible/);
  });
});

describe("chat as modern clients send it", () => {
  const quote = (text: string) => `> ${text.split("\n").join("\n> ")}\n`;

  it("a receipt request is answered with a receipt for that message (XEP-0184)", async () => {
    const request = xml("request", { xmlns: "urn:xmpp:receipts" });
    const seen = new Set(alice.received);
    const first = await ask(alice, gateway, "balance", { extra: request });
    const reply = await alice.waitFor(
      (s) => !seen.has(s) && s.is("message") && s.getChildText("body") !== null,
      "the balance reply",
    );
    const received = first.getChild("received", "urn:xmpp:receipts");
    expect(received?.attrs.id).toMatch(/^m\d+$/);
    expect(first.attrs.from).toBe(gateway);
    expect(bodyOf(reply)).toMatch(/^Balance/);
    // Not asked: no receipt.
    const plain = await ask(alice, gateway, "balance");
    expect(plain.getChild("received", "urn:xmpp:receipts")).toBeUndefined();
  });

  it("a swipe-reply confirm with XEP-0461 fallback markers confirms exactly once", async () => {
    const asked = await ask(alice, bobJid, "pay 0.001 reply");
    const code = codeIn(bodyOf(asked));
    const quoted = quote(bodyOf(asked));
    const marked = () => [
      xml("reply", { xmlns: "urn:xmpp:reply:0", to: bobJid, id: asked.attrs.id ?? "x" }),
      xml(
        "fallback",
        { xmlns: "urn:xmpp:fallback:0", for: "urn:xmpp:reply:0" },
        xml("body", { start: "0", end: String([...quoted].length) }),
      ),
    ];
    const bob0 = await w.world.accounts.balance((await w.world.accounts.byUsername("bob"))!.id);
    const paid = await ask(alice, bobJid, `${quoted}confirm ${code}`, {
      extra: marked(),
    });
    expect(bodyOf(paid)).toMatch(/^Paid 0\.001 BTC to bob/);
    const again = await ask(alice, bobJid, `${quoted}confirm ${code}`, {
      extra: marked(),
    });
    expect(bodyOf(again)).toMatch(/already paid/i);
    const bob1 = await w.world.accounts.balance((await w.world.accounts.byUsername("bob"))!.id);
    expect(bob1.confirmed - bob0.confirmed).toBe(btc("0.001"));
  });

  it("leading quoted lines without markers are not part of the command", async () => {
    const reply = await ask(
      alice,
      gateway,
      `${quote("To pay, type: confirm abcd\nor cancel")}balance`,
    );
    expect(bodyOf(reply)).toMatch(/^Balance/);
  });

  it("a reaction is never a command, whatever its fallback body says (XEP-0444)", async () => {
    const before = alice.received.length;
    await alice.send(
      xml(
        "message",
        { to: bobJid, type: "chat", id: "react-1" },
        xml("body", {}, "confirm"),
        xml("reactions", { xmlns: "urn:xmpp:reactions:0", id: "m1" }, xml("reaction", {}, "👍")),
      ),
    );
    const reply = await ask(alice, gateway, "balance");
    expect(bodyOf(reply)).toMatch(/^Balance/);
    expect(alice.received.slice(before).filter((s) => s.is("message"))).toHaveLength(1);
  });
});

describe("pasted payment links (BIP21)", () => {
  const aliceId = async () => (await w.world.accounts.byUsername("alice"))!.id;
  const pendingCount = async () => (await w.chatOrders.listPending(await aliceId())).length;

  it("a link with an amount starts the payment from the address's JID", async () => {
    const [deposit] = await w.world.accounts.addresses(
      (await w.world.accounts.byUsername("bob"))!.id,
    );
    const address = deposit!.address;
    const from = w.gateway.component.jids.addressJid(address);
    const link = `bitcoin:${address}?amount=0.0002&label=Bob&message=sats%20for%20the%20bike`;
    const summary = await ask(alice, gateway, link, { from });
    expect(bodyOf(summary)).toMatch(
      new RegExp(`^Payment of 0\\.0002 BTC to ${address} \\(“sats for the bike”\\)\\.`),
    );
    const before = (await w.world.accounts.balance(await aliceId())).confirmed;
    const paid = await ask(alice, from, `confirm ${codeIn(bodyOf(summary))}`);
    expect(bodyOf(paid)).toMatch(new RegExp(`^Paid 0\\.0002 BTC to ${address}\\.`));
    expect((await w.world.accounts.balance(await aliceId())).confirmed).toBe(
      before - btc("0.0002"),
    );
  });

  it("a link without an amount says how to pay, from the address's JID, also pasted there", async () => {
    const from = w.gateway.component.jids.addressJid(outsideAddress);
    const atGateway = await ask(alice, gateway, `BITCOIN:${outsideAddress}?label=Shop`, { from });
    expect(bodyOf(atGateway)).toBe(
      `Payment link for ${outsideAddress} (Shop), without an amount. To pay it, type: pay <amount> [reason…]`,
    );
    const there = await ask(alice, from, `bitcoin:${outsideAddress}?amount=0.0003`, { from });
    expect(bodyOf(there)).toMatch(/^Payment of 0\.0003 BTC/);
    await ask(alice, from, `cancel ${codeIn(bodyOf(there))}`);
  });

  it.each([
    [
      "bitcoin:notanaddress?amount=0.1",
      "Error: the payment link's address is not a valid address on this network.",
    ],
    [
      () => `bitcoin:${outsideAddress}?amount=1,5`,
      "Error: the payment link's amount is not a BTC amount.",
    ],
    [
      () => `bitcoin:${outsideAddress}?amount=0.1&amount=0.2`,
      "Error: the payment link gives the same detail twice.",
    ],
    [
      () => `bitcoin:${outsideAddress}?req-escrow=1&amount=0.1`,
      "Error: the payment link requires something this gateway cannot do.",
    ],
  ])("refuses %s, queuing nothing", async (link, text) => {
    const pending = await pendingCount();
    const reply = await ask(alice, gateway, typeof link === "string" ? link : link());
    expect(bodyOf(reply)).toBe(text);
    expect(await pendingCount()).toBe(pending);
  });
});
