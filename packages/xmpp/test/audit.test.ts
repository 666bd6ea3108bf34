/**
 * The admins' `audit` command end to end: a real admin and a real user on
 * Prosody, the ledger on PGlite, the wallet on the sandbox chain over HTTP.
 */
import type { AuditReport } from "@bitcoim/accounts";
import { btc } from "@bitcoim/accounts/testing";
import { createBitcoinNode } from "@bitcoim/wallet";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createChatHandler } from "../src/chat.js";
import { summarize } from "../src/commands/audit.js";
import { en } from "../src/i18n/en.js";
import { formatBtc } from "../src/i18n/language.js";
import { xml as gxml } from "../src/xml.js";
import { ask, bodyOf, type ChatWorld, createChatWorld } from "./chat-world.js";
import type { User } from "./client.js";
import { HOST } from "./world.js";

vi.setConfig({ testTimeout: 20_000 });

let w: ChatWorld;
let root: User;
let alice: User;
const money = (sats: bigint) => formatBtc(en, sats);

beforeAll(async () => {
  w = await createChatWorld({ admins: [`root@${HOST}`] });
  const { accounts } = w.world;
  const { addresses } = await accounts.register(`alice@${HOST}`, "alice");
  await accounts.register(`root@${HOST}`, "root");
  await w.world.pay(addresses[0]!.address, btc("0.5"));
  await w.world.mine(1);
  await w.world.scan();
  [root, alice] = await Promise.all([w.user("root"), w.user("alice")]);
}, 120_000);

afterAll(async () => {
  await w?.close();
});

describe("audit, for an admin at the gateway", () => {
  it("gives the verdict and the figures it rests on", async () => {
    const { trusted, untrustedPending } = await w.world.gw.getBalances();
    const owed = btc("0.5");
    expect(bodyOf(await ask(root, w.domain, "audit"))).toBe(
      [
        "Audit: OK. The ledger adds up, and the wallet covers what users hold.",
        `Owed to users: ${money(owed)} (balances ${money(owed)}, being sent ${money(0n)})`,
        `Owed by users after reorganisations: ${money(0n)}`,
        `Wallet: ${money(trusted)} confirmed, ${money(untrustedPending)} pending; surplus ${money(trusted - owed)}`,
      ].join("\n"),
    );
  });

  it("answers in French, with a unique prefix", async () => {
    const body = bodyOf(await ask(root, w.domain, "au", { lang: "fr" }));
    expect(body).toMatch(/^Audit : OK\. Le grand livre tombe juste/);
    expect(body).toContain("Portefeuille : ");
  });

  it("is listed in the admin's help at the gateway, and only there", async () => {
    expect(bodyOf(await ask(root, w.domain, "help"))).toContain("audit — (admins)");
    const atUser = bodyOf(await ask(root, w.gateway.component.jids.usernameJid("alice"), "help"));
    expect(atUser).not.toContain("audit");
  });

  it("refuses to run at a user's JID", async () => {
    const to = w.gateway.component.jids.usernameJid("alice");
    expect(bodyOf(await ask(root, to, "audit"))).toBe(`Error: ${en.notHere("audit")}`);
  });
});

describe("audit, for everyone else", () => {
  it("does not exist: unknown, absent from help, and no ambiguity for `a`", async () => {
    expect(bodyOf(await ask(alice, w.domain, "audit"))).toBe(
      `Error: ${en.unknownCommand("audit", "help")}`,
    );
    expect(bodyOf(await ask(alice, w.domain, "help"))).not.toContain("audit");
    expect(bodyOf(await ask(alice, w.domain, "a"))).toMatch(/^Your deposit addresses:/);
  });
});

describe("audit verdicts", () => {
  it("says which way the wallet is short, when it is", async () => {
    // Money leaves the wallet behind the ledger's back: the operator must hear of it.
    const before = await w.world.gw.getBalances();
    const outside = await w.world.outside.getNewAddress("", "bech32");
    await w.world.gw.sendToAddress({
      address: outside,
      amount: before.trusted - btc("0.2"),
      subtractFeeFromAmount: true,
    });
    const { trusted } = await w.world.gw.getBalances();
    const body = bodyOf(await ask(root, w.domain, "audit"));
    expect(body.split("\n")[0]).toBe(
      `Audit: PROBLEM. The wallet holds ${money(btc("0.5") - trusted)} less than users are owed.`,
    );
    expect(body).toContain(`shortfall ${money(btc("0.5") - trusted)}`);
  });

  it("still checks the ledger when the node does not answer", async () => {
    const handler = createChatHandler({
      accounts: w.world.accounts,
      orders: w.chatOrders,
      // A real HTTP client to a port nobody listens on.
      wallet: createBitcoinNode({ url: "http://127.0.0.1:9", user: "u", password: "p" }),
      jids: w.gateway.component.jids,
      network: "regtest",
      log: w.log,
    });
    const from = `root@${HOST}/x`;
    const stanza = gxml("message", { from, to: w.domain, type: "chat" }, gxml("body", {}, "audit"));
    const entity = w.gateway.component.jids.classify(w.domain);
    const [reply] = (await handler({ stanza, from, to: w.domain, entity, lang: undefined })) ?? [];
    const body = reply?.getChildText("body") ?? "";
    expect(body.split("\n")[0]).toBe(
      "Audit: the ledger adds up, but the wallet could not be compared.",
    );
    expect(body).toMatch(/\nWallet: unavailable \(.+\)$/);
  });

  it("lists the ledger's problems first, ten at most", () => {
    const report: AuditReport = {
      ok: false,
      problems: Array.from({ length: 12 }, (_, i) => `problem ${i}`),
      totals: {
        userBalances: 5n,
        owed: 0n,
        inFlight: 2n,
        sentOnChain: 0n,
        networkFees: 0n,
        deposited: 7n,
      },
    };
    const text = en.audit(summarize(report, { trusted: 7n, pending: 0n }, String));
    const lines = text.split("\n");
    expect(lines[0]).toBe("Audit: PROBLEM. The ledger does not add up:");
    expect(lines.slice(1, 12)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `  problem ${i}`),
      "  …and 2 more",
    ]);
    expect(lines).toContain("Owed to users: 7 (balances 5, being sent 2)");
    expect(lines).toContain("Wallet: 7 confirmed, 0 pending; surplus 0");
  });
});
