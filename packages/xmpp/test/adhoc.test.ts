/**
 * Ad-hoc commands (XEP-0050) end to end: real clients on a real Prosody
 * list and run the gateway's commands. The replies are the chat commands'
 * own; sessions keep one id across steps, and a second, stale or foreign
 * answer is refused with nothing moved.
 */
import { btc } from "@bitcoim/accounts/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NS_DATA_VALIDATE } from "../src/adhoc/forms.js";
import { NS_COMMANDS } from "../src/adhoc/index.js";
import { NS_DISCO_INFO, NS_DISCO_ITEMS } from "../src/disco.js";
import { NS_DATA } from "../src/register-form.js";
import { ask, bodyOf, type ChatWorld, createChatWorld } from "./chat-world.js";
import { type Element, type User, xml } from "./client.js";
import { errorOf } from "./helpers.js";
import { goOnline, HOST } from "./world.js";

vi.setConfig({ testTimeout: 30_000 });

let w: ChatWorld;
let alice: User;
let bob: User;
let bobJid: string;
let aliceId: number;
const ADMIN = `root@${HOST}`;

beforeAll(async () => {
  w = await createChatWorld({ admins: [ADMIN] });
  const { accounts } = w.world;
  const registered = await accounts.register(`alice@${HOST}`, "alice");
  aliceId = registered.user.id;
  bobId = (await accounts.register(`bob@${HOST}`, "bob")).user.id;
  await accounts.register(ADMIN, "root");
  await w.world.pay(registered.addresses[0]!.address, btc("1"));
  await w.world.mine(1);
  await w.world.scan();
  [alice, bob] = await Promise.all([w.user("alice"), w.user("bob")]);
  bobJid = w.gateway.component.jids.usernameJid("bob");
}, 120_000);

afterAll(async () => {
  await w?.close();
});

const form = (values: Record<string, string>) =>
  xml(
    "x",
    { xmlns: NS_DATA, type: "submit" },
    ...Object.entries(values).map(([name, value]) =>
      xml("field", { var: name }, xml("value", {}, value)),
    ),
  );

function execute(
  u: User,
  to: string,
  node: string,
  o: { action?: string; sessionid?: string; values?: Record<string, string>; lang?: string } = {},
): Promise<Element> {
  const attrs = { xmlns: NS_COMMANDS, node, action: o.action, sessionid: o.sessionid };
  return u.iq(
    xml(
      "iq",
      { type: "set", to, ...(o.lang ? { "xml:lang": o.lang } : {}) },
      xml("command", attrs, ...(o.values ? [form(o.values)] : [])),
    ),
  );
}
const commandOf = (reply: Element) => {
  const c = reply.getChild("command", NS_COMMANDS);
  if (!c) throw new Error(`no command in ${reply.toString()}`);
  return c;
};
const noteOf = (reply: Element) => commandOf(reply).getChildText("note") ?? "";
const statusOf = (reply: Element) => commandOf(reply).attrs.status;
const actionsOf = (reply: Element) =>
  commandOf(reply)
    .getChild("actions")
    ?.getChildElements()
    .map((a) => a.name);
const instructionsOf = (reply: Element) =>
  commandOf(reply).getChild("x", NS_DATA)?.getChildText("instructions") ?? "";
const specificError = (reply: Element) =>
  reply
    .getChild("error")
    ?.getChildElements()
    .find((c) => c.attrs.xmlns === NS_COMMANDS)?.name;
const balanceOf = async (id: number) => (await w.world.accounts.balance(id)).confirmed;
let bobId: number;
const nodesAt = async (u: User, to: string, lang?: string) => {
  const reply = await u.iq(
    xml(
      "iq",
      { type: "get", to, ...(lang ? { "xml:lang": lang } : {}) },
      xml("query", { xmlns: NS_DISCO_ITEMS, node: NS_COMMANDS }),
    ),
  );
  return reply
    .getChild("query", NS_DISCO_ITEMS)!
    .getChildren("item")
    .map((i) => ({ node: i.attrs.node, name: i.attrs.name, jid: i.attrs.jid }));
};

describe("discovery (XEP-0050 §2)", () => {
  it("lists the commands that make sense for each requester at each JID", async () => {
    const gateway = await nodesAt(alice, w.domain);
    expect(gateway.map((n) => n.node)).toEqual([
      "balance",
      "address",
      "address-new",
      "history",
      "pending",
      "cancel",
      "help",
      "jabber:iq:register",
      "unregister",
    ]);
    expect(gateway.every((n) => n.jid === w.domain)).toBe(true);
    const root = await w.user("root");
    const admin = (await nodesAt(root, w.domain)).map((n) => n.node);
    expect(admin).toContain("audit");
    expect(admin).toContain("directory");
    const stranger = await w.user("stranger");
    expect((await nodesAt(stranger, w.domain)).map((n) => n.node)).toEqual(["jabber:iq:register"]);
    expect((await nodesAt(alice, bobJid)).map((n) => n.node)).toEqual(["pay", "history", "help"]);
    const french = await nodesAt(alice, bobJid, "fr");
    expect(french[0]).toEqual({ node: "pay", name: "Payer", jid: bobJid });
  });

  it("advertises commands at every JID, and describes each command node", async () => {
    const features = async (to: string, node?: string) => {
      const reply = await alice.iq(
        xml("iq", { type: "get", to }, xml("query", { xmlns: NS_DISCO_INFO, node })),
      );
      const q = reply.getChild("query", NS_DISCO_INFO)!;
      return {
        identity: q.getChild("identity")?.attrs,
        features: q.getChildren("feature").map((f) => f.attrs.var),
      };
    };
    expect((await features(w.domain)).features).toContain(NS_COMMANDS);
    const [bobAddress] = await w.world.accounts.addresses(
      (await w.world.accounts.byUsername("bob"))!.id,
    );
    const jids = w.gateway.component.jids;
    expect((await features(jids.addressJid(bobAddress!.address))).features).toContain(NS_COMMANDS);
    expect((await features(jids.usernameJid("alice"))).features).toContain(NS_COMMANDS);
    const pay = await features(bobJid, "pay");
    expect(pay.identity).toMatchObject({
      category: "automation",
      type: "command-node",
      name: "Pay",
    });
    expect(pay.features).toEqual([NS_COMMANDS, NS_DATA]);
  });
});

describe("one-stage commands", () => {
  it("balance completes at once with the chat's own reply", async () => {
    const reply = await execute(alice, w.domain, "balance");
    expect(statusOf(reply)).toBe("completed");
    expect(commandOf(reply).attrs.sessionid).toMatch(/^[\w-]{16}$/);
    const chat = bodyOf(await ask(alice, w.domain, "balance"));
    expect(noteOf(reply)).toBe(chat);
    expect(noteOf(reply)).toMatch(/^Balance: 1 BTC/);
  });

  it("a command not offered here, or no command at all, is item-not-found", async () => {
    const gatewayPay = await execute(alice, w.domain, "pay");
    expect(errorOf(gatewayPay).condition).toBe("item-not-found");
    const audit = await execute(alice, w.domain, "audit");
    expect(errorOf(audit).condition).toBe("item-not-found");
    const none = await execute(alice, w.domain, "launch-rockets");
    expect(errorOf(none)).toMatchObject({
      condition: "item-not-found",
      text: "There is no such command here.",
    });
  });

  it("address, a new address, pending and help complete with the chat's own replies", async () => {
    const same = async (node: string, words: string) => {
      const reply = await execute(alice, w.domain, node);
      expect(statusOf(reply)).toBe("completed");
      expect(noteOf(reply)).toBe(bodyOf(await ask(alice, w.domain, words)));
      return noteOf(reply);
    };
    const [first] = await w.world.accounts.addresses(aliceId);
    expect(await same("address", "address")).toContain(first!.address);
    expect(await same("help", "help")).toMatch(/^Commands here/);
    const { order } = await w.orders.queue(aliceId, { userId: bobId }, 1234n, "ad-hoc");
    expect(await same("pending", "confirm")).toContain(order.code);
    await w.orders.cancel(aliceId, order.code);
    // A new address each time it is run: one more, named in the reply.
    const before = await w.world.accounts.addresses(aliceId);
    const made = await execute(alice, w.domain, "address-new");
    const after = await w.world.accounts.addresses(aliceId);
    expect(after).toHaveLength(before.length + 1);
    const added = after.find((a) => !before.some((b) => b.address === a.address))!;
    expect(noteOf(made)).toContain(added.address);
  });

  it("audit runs for an admin with the chat's reply; for anyone else neither it nor the directory exists", async () => {
    const root = await w.user("root");
    const audit = await execute(root, w.domain, "audit");
    expect(statusOf(audit)).toBe("completed");
    expect(noteOf(audit)).toBe(bodyOf(await ask(root, w.domain, "audit")));
    expect(noteOf(audit)).toMatch(/^Audit: OK/);
    const directory = await execute(alice, w.domain, "directory");
    expect(errorOf(directory).condition).toBe("item-not-found");
  });

  it("the admins' directory lists registered users", async () => {
    const root = await w.user("root");
    const reply = await execute(root, w.domain, "directory");
    expect(noteOf(reply)).toMatch(/^Registered users \(3\):\nalice {2}alice@example\.localhost/);
  });
});

describe("pay in two steps", () => {
  async function summary(values: Record<string, string>) {
    const first = await execute(alice, bobJid, "pay");
    const sessionid = commandOf(first).attrs.sessionid!;
    const second = await execute(alice, bobJid, "pay", { sessionid, values });
    return { first, second, sessionid };
  }

  it("asks for a decimal amount, shows the summary, and pays once on complete", async () => {
    const before = await balanceOf(aliceId);
    const { first, second, sessionid } = await summary({ amount: "0.001", reason: "rent" });
    expect(statusOf(first)).toBe("executing");
    expect(actionsOf(first)).toEqual(["next"]);
    const amount = commandOf(first)
      .getChild("x", NS_DATA)!
      .getChildren("field")
      .find((f) => f.attrs.var === "amount")!;
    expect(amount.getChild("validate", NS_DATA_VALIDATE)?.attrs.datatype).toBe("xs:decimal");
    expect(amount.getChild("required")).toBeDefined();

    expect(commandOf(second).attrs.sessionid).toBe(sessionid);
    expect(actionsOf(second)).toEqual(["complete"]);
    expect(instructionsOf(second)).toMatch(/^Payment of 0\.001 BTC to bob \(“rent”\)\./);
    expect(instructionsOf(second)).toMatch(/Complete to pay, or cancel to drop it/);
    expect(await balanceOf(aliceId)).toBe(before); // nothing moved before complete

    const done = await execute(alice, bobJid, "pay", { sessionid, action: "complete" });
    expect(commandOf(done).attrs).toMatchObject({ status: "completed", sessionid });
    expect(noteOf(done)).toMatch(/^Paid 0\.001 BTC to bob\. Your balance: 0\.999 BTC\.$/);
    expect(await balanceOf(aliceId)).toBe(before - btc("0.001"));

    const again = await execute(alice, bobJid, "pay", { sessionid, action: "complete" });
    expect(errorOf(again).condition).toBe("bad-request");
    expect(specificError(again)).toBe("bad-sessionid");
    expect(await balanceOf(aliceId)).toBe(before - btc("0.001"));
  });

  it("at an address, shows the exact network fee and pays exactly it on complete", async () => {
    const address = await w.world.outside.getNewAddress("", "bech32");
    const at = w.gateway.component.jids.addressJid(address);
    const before = await balanceOf(aliceId);
    const first = await execute(alice, at, "pay");
    const sessionid = commandOf(first).attrs.sessionid!;
    const values = { amount: "0.002", reason: "" };
    const second = await execute(alice, at, "pay", { sessionid, values });
    const fee = /\nNetwork fee: (0\.0000\d+) BTC, paid by you on top\.\n/.exec(
      instructionsOf(second),
    )?.[1];
    expect(fee).toBeDefined();
    expect(await balanceOf(aliceId)).toBe(before);
    const done = await execute(alice, at, "pay", { sessionid, action: "complete" });
    expect(noteOf(done)).toMatch(
      new RegExp(`^Sent 0\\.002 BTC to ${address} \\(network fee ${fee} BTC\\)\\.`),
    );
    expect(await balanceOf(aliceId)).toBe(before - btc("0.002") - btc(fee!));
  });

  it("two completes at once pay exactly once", async () => {
    const before = await balanceOf(aliceId);
    const { sessionid } = await summary({ amount: "0.0001" });
    const both = await Promise.all([
      execute(alice, bobJid, "pay", { sessionid, action: "complete" }),
      execute(alice, bobJid, "pay", { sessionid, action: "complete" }),
    ]);
    expect(both.filter((r) => r.attrs.type === "result")).toHaveLength(1);
    expect(both.map(specificError).filter(Boolean)).toEqual(["bad-sessionid"]);
    expect(await balanceOf(aliceId)).toBe(before - btc("0.0001"));
  });

  it("a bad amount shows the form again with the chat's refusal, queuing nothing", async () => {
    const pending = (await w.orders.listPending(aliceId)).length;
    const { second, sessionid } = await summary({ amount: "1 000", reason: "x" });
    expect(statusOf(second)).toBe("executing");
    expect(commandOf(second).attrs.sessionid).toBe(sessionid);
    expect(commandOf(second).getChild("note")?.attrs.type).toBe("error");
    expect(noteOf(second)).toMatch(/^no thousands separators/);
    const empty = await execute(alice, bobJid, "pay", { sessionid, values: { amount: "" } });
    expect(noteOf(empty)).toMatch(/^How much\?/);
    expect((await w.orders.listPending(aliceId)).length).toBe(pending);
    // Corrected in the same session, it goes on.
    const fixed = await execute(alice, bobJid, "pay", { sessionid, values: { amount: "0.0002" } });
    expect(actionsOf(fixed)).toEqual(["complete"]);
    await execute(alice, bobJid, "pay", { sessionid, action: "cancel" });
  });

  it("cancel at the summary drops the order", async () => {
    const before = await balanceOf(aliceId);
    const { sessionid } = await summary({ amount: "0.0003" });
    expect(await w.orders.listPending(aliceId)).toHaveLength(1);
    const cancelled = await execute(alice, bobJid, "pay", { sessionid, action: "cancel" });
    expect(statusOf(cancelled)).toBe("canceled");
    expect(noteOf(cancelled)).toMatch(/cancelled/i);
    expect(await w.orders.listPending(aliceId)).toHaveLength(0);
    expect(await balanceOf(aliceId)).toBe(before);
  });

  it("refuses another user's session, a made-up one, an expired one and a wrong action", async () => {
    const before = await balanceOf(aliceId);
    const { sessionid } = await summary({ amount: "0.0004" });
    const stolen = await execute(bob, bobJid, "pay", { sessionid, action: "complete" });
    expect(specificError(stolen)).toBe("bad-sessionid");
    const elsewhere = await execute(alice, w.domain, "history", { sessionid, action: "next" });
    expect(specificError(elsewhere)).toBe("bad-sessionid");
    const madeUp = await execute(alice, bobJid, "pay", {
      sessionid: "AAAAAAAAAAAAAAAA",
      action: "complete",
    });
    expect(specificError(madeUp)).toBe("bad-sessionid");
    const prev = await execute(alice, bobJid, "pay", { sessionid, action: "prev" });
    expect(specificError(prev)).toBe("bad-action");
    const odd = await execute(alice, bobJid, "pay", { sessionid, action: "launch" });
    expect(specificError(odd)).toBe("malformed-action");

    // Aged by the store's own step, with the state it holds: the session lapses, nothing else changes.
    const sessions = w.services.sessions!;
    const live = await sessions.find(sessionid, `alice@${HOST}`);
    if (live.kind !== "live") throw new Error(`session is ${live.kind}`);
    const { step, state } = live.session;
    await sessions.advance({
      id: sessionid,
      jid: `alice@${HOST}`,
      from: step,
      state,
      ttlMs: -1000,
    });
    const late = await execute(alice, bobJid, "pay", { sessionid, action: "complete" });
    expect(errorOf(late).condition).toBe("not-allowed");
    expect(specificError(late)).toBe("session-expired");
    expect(await balanceOf(aliceId)).toBe(before);
    const [order] = await w.orders.listPending(aliceId);
    if (order) await w.orders.cancel(aliceId, order.code);
  });
});

describe("multi-stage commands at the gateway", () => {
  it("history pages with next and prev, in one session", async () => {
    const { user: hankUser } = await w.world.accounts.register(`hank@${HOST}`, "hank");
    for (let i = 0; i < 21; i++) {
      const { order } = await w.orders.queue(
        aliceId,
        { userId: hankUser.id },
        1000n + BigInt(i),
        null,
      );
      await w.orders.confirm(aliceId, order.code);
    }
    const hank = await w.user("hank");
    const first = await execute(hank, w.domain, "history");
    const sessionid = commandOf(first).attrs.sessionid!;
    expect(actionsOf(first)).toEqual(["next", "complete"]);
    expect(instructionsOf(first).split("\n")).toHaveLength(21); // header + 20
    expect(instructionsOf(first)).not.toMatch(/history 2/); // no words to type in a form
    const second = await execute(hank, w.domain, "history", { sessionid, action: "next" });
    expect(commandOf(second).attrs.sessionid).toBe(sessionid);
    expect(actionsOf(second)).toEqual(["prev", "complete"]);
    expect(instructionsOf(second)).toMatch(/\+0\.00001 BTC {2}from alice/);
    expect(instructionsOf(second).split("\n")).toHaveLength(2);
    const beyond = await execute(hank, w.domain, "history", { sessionid, action: "next" });
    expect(specificError(beyond)).toBe("bad-action");
    const back = await execute(hank, w.domain, "history", { sessionid, action: "prev" });
    expect(instructionsOf(back)).toBe(instructionsOf(first));
    const done = await execute(hank, w.domain, "history", { sessionid, action: "complete" });
    expect(statusOf(done)).toBe("completed");
    const after = await execute(hank, w.domain, "history", { sessionid, action: "next" });
    expect(specificError(after)).toBe("bad-sessionid");
  });

  it("cancel offers the pending payments and drops the one chosen", async () => {
    const { order } = await w.orders.queue(
      aliceId,
      { userId: (await w.world.accounts.byUsername("bob"))!.id },
      5000n,
      "lunch",
    );
    const first = await execute(alice, w.domain, "cancel");
    const field = commandOf(first).getChild("x", NS_DATA)!.getChild("field")!;
    expect(field.attrs).toMatchObject({ var: "order", type: "list-single" });
    const options = field.getChildren("option").map((o) => o.getChildText("value"));
    expect(options).toEqual([order.code]);
    const sessionid = commandOf(first).attrs.sessionid!;
    const none = await execute(alice, w.domain, "cancel", { sessionid, action: "complete" });
    expect(commandOf(none).getChild("note")?.attrs.type).toBe("error");
    const done = await execute(alice, w.domain, "cancel", {
      sessionid,
      action: "complete",
      values: { order: order.code },
    });
    expect(statusOf(done)).toBe("completed");
    expect(noteOf(done)).toMatch(new RegExp(`^Cancelled ${order.code}`));
    expect(await w.orders.listPending(aliceId)).toHaveLength(0);
    const empty = await execute(alice, w.domain, "cancel");
    expect(noteOf(empty)).toBe("You have no pending payments.");
  });

  it("registers by the jabber:iq:register command, with the form's refusals", async () => {
    const erin = await w.user("erin");
    const first = await execute(erin, w.domain, "jabber:iq:register");
    expect(actionsOf(first)).toEqual(["complete"]);
    const sessionid = commandOf(first).attrs.sessionid!;
    const taken = await execute(erin, w.domain, "jabber:iq:register", {
      sessionid,
      action: "complete",
      values: { username: "alice" },
    });
    expect(statusOf(taken)).toBe("executing");
    expect(noteOf(taken)).toMatch(/alice/);
    expect(await w.world.accounts.byJid(`erin@${HOST}`)).toBeUndefined();
    const dotted = await execute(erin, w.domain, "jabber:iq:register", {
      sessionid,
      values: { username: "e.rin" },
    });
    expect(commandOf(dotted).getChild("note")?.attrs.type).toBe("error");
    await goOnline(erin);
    const subscribed = erin.waitFor(
      (s) => s.is("presence") && s.attrs.type === "subscribe",
      "a subscription request",
    );
    const done = await execute(erin, w.domain, "jabber:iq:register", {
      sessionid,
      values: { username: "erin" },
    });
    expect(statusOf(done)).toBe("completed");
    expect(noteOf(done)).toMatch(/erin/);
    expect((await w.world.accounts.byJid(`erin@${HOST}`))?.username).toBe("erin");
    await subscribed;
  });

  it("unregisters only with a zero balance", async () => {
    const first = await execute(alice, w.domain, "unregister");
    const sessionid = commandOf(first).attrs.sessionid!;
    const refused = await execute(alice, w.domain, "unregister", { sessionid, action: "complete" });
    expect(commandOf(refused).getChild("note")?.attrs.type).toBe("error");
    expect(await w.world.accounts.byJid(`alice@${HOST}`)).toBeDefined();
    const frank = await w.user("frank");
    await w.world.accounts.register(`frank@${HOST}`, "frank");
    const started = await execute(frank, w.domain, "unregister");
    const done = await execute(frank, w.domain, "unregister", {
      sessionid: commandOf(started).attrs.sessionid!,
      action: "complete",
    });
    expect(statusOf(done)).toBe("completed");
    expect(await w.world.accounts.byJid(`frank@${HOST}`)).toBeUndefined();
  });
});
