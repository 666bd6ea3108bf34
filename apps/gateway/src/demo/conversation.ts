/**
 * The demo's scripted conversation, through the real XMPP server with real
 * XMPP clients: alice and bob register, a deposit to alice is mined and
 * announced, alice pays bob by username and an outside address on-chain,
 * and bob reads his history. Every line sent and received is printed.
 */
import type { Accounts } from "@bitcoim/accounts";
import { addressToNode, parseAmount } from "@bitcoim/wallet";
import { connectUser, type Element, type User, xml } from "@bitcoim/xmpp/testing";
import { DEMO_DOMAIN, DEMO_HOST, type DemoWorld } from "./setup.js";

const REPLY_MS = 30_000;

export async function playConversation(deps: {
  world: DemoWorld;
  accounts: Pick<Accounts, "byJid" | "addresses">;
  print: (line: string) => void;
  /** Leave the clients connected and return them (tests go on with them). */
  keep?: boolean;
}): Promise<User[]> {
  const { world, accounts, print } = deps;
  const clients: User[] = [];
  try {
    for (const u of world.users) {
      const client = await connectUser({
        service: world.prosody.c2sService,
        domain: DEMO_HOST,
        username: u.name,
        password: u.password,
      });
      clients.push(client);
      acceptSubscriptions(client);
      await client.send(xml("presence"));
    }
    const [alice, bob] = clients as [User, User];
    const chat = conversation(print);

    for (const [client, name] of [
      [alice, "alice"],
      [bob, "bob"],
    ] as const) {
      print(`${name} registers with the gateway as "${name}" (XEP-0077)`);
      const reply = await client.iq(
        xml(
          "iq",
          { type: "set", to: DEMO_DOMAIN },
          xml("query", { xmlns: "jabber:iq:register" }, xml("username", {}, name)),
        ),
      );
      print(`  ← ${reply.attrs.type === "result" ? "registered" : `refused: ${reply.toString()}`}`);
    }

    const user = await accounts.byJid(world.users[0]!.jid);
    const [deposit] = await accounts.addresses(user!.id);
    print(`\nsomeone outside pays 0.5 BTC to alice's deposit address ${deposit!.address}`);
    const incoming = chat.next(alice, DEMO_DOMAIN);
    await world.outside.sendToAddress({ address: deposit!.address, amount: parseAmount("0.5") });
    await incoming;
    print("a block is mined");
    const credited = chat.next(alice, DEMO_DOMAIN);
    await world.mine(1);
    await credited;

    print("");
    const code = codeIn(await chat.say(alice, `bob@${DEMO_DOMAIN}`, "pay 0.1 dinner"));
    await chat.say(alice, `bob@${DEMO_DOMAIN}`, `confirm ${code}`);

    const shop = await world.outside.getNewAddress("shop", "bech32");
    const shopJid = `${addressToNode(shop)}@${DEMO_DOMAIN}`;
    print("");
    const code2 = codeIn(await chat.say(alice, shopJid, "pay 0.05 shoes"));
    await chat.say(alice, shopJid, `confirm ${code2}`);

    print("");
    await chat.say(bob, DEMO_DOMAIN, "history");
    await chat.say(alice, DEMO_DOMAIN, "balance");
    return clients;
  } finally {
    if (!deps.keep) for (const client of clients) await client.stop();
  }
}

/** The code in a `pay` reply ("To pay, type: confirm abcd"). */
function codeIn(reply: string): string {
  const code = /\b([abcdefghjkmnpqrstuvwxyz23456789]{4})\b\s*(\(|$)/m.exec(reply)?.[1];
  if (!code) throw new Error(`no confirmation code in the reply:\n${reply}`);
  return code;
}

function acceptSubscriptions(client: User): void {
  client.xmpp.on("stanza", (s: Element) => {
    if (s.is("presence") && s.attrs.type === "subscribe") {
      void client.send(xml("presence", { to: s.attrs.from, type: "subscribed" }));
    }
  });
}

/** Sends chat lines and awaits the next chat message from the JID written to. */
function conversation(print: (line: string) => void) {
  const seen = new Set<Element>();
  const name = (client: User) => client.jid.split("@")[0];
  function next(client: User, from: string): Promise<string> {
    return client
      .waitFor(
        (s) =>
          !seen.has(s) &&
          s.is("message") &&
          s.attrs.from?.split("/")[0] === from &&
          Boolean(s.getChildText("body")),
        `a message from ${from}`,
        REPLY_MS,
      )
      .then((s) => {
        seen.add(s);
        const body = s.getChildText("body") ?? "";
        print(`  ${from} → ${name(client)}: ${body.replaceAll("\n", "\n      ")}`);
        return body;
      });
  }
  return {
    next,
    async say(client: User, to: string, body: string): Promise<string> {
      for (const s of client.received) seen.add(s);
      print(`${name(client)} → ${to}: ${body}`);
      const reply = next(client, to);
      await client.send(xml("message", { to, type: "chat" }, xml("body", {}, body)));
      return reply;
    },
  };
}
