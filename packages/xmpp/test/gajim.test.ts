/**
 * bitcoIM as Gajim sees it: Gajim's own XMPP library (nbxmpp, from
 * Debian's python3-nbxmpp) registers through the XEP-0077 form and runs
 * ad-hoc commands (XEP-0050) through a real Prosody, its parsers reading
 * our answers. A malformed answer is an error there, and fails here.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { btc } from "@bitcoim/accounts/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type ChatWorld, createChatWorld } from "./chat-world.js";
import { HOST } from "./world.js";

vi.setConfig({ testTimeout: 40_000 });
const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL("./clients/nbxmpp_user.py", import.meta.url));

let w: ChatWorld;
beforeAll(async () => {
  w = await createChatWorld({ presence: true });
}, 120_000);
afterAll(async () => {
  await w?.close();
});

/** Runs the nbxmpp user as `username` (created in Prosody) in `scenario`; what it saw. */
async function asGajim(username: string, scenario: string, extra: Record<string, string> = {}) {
  const password = `${username}-nb`;
  await w.prosody.register(username, HOST, password);
  const { hostname, port } = new URL(w.prosody.c2sService);
  const input = { host: hostname, port, domain: HOST, username, password, scenario };
  const { stdout, stderr } = await run(
    "/usr/bin/python3",
    [SCRIPT, JSON.stringify({ ...input, gateway: w.domain, ...extra })],
    { timeout: 30_000, env: { ...process.env, NBXMPP_LOG: "1" } },
  );
  const seen = JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
  expect(seen.error, stderr.slice(-3000)).toBeUndefined();
  return seen;
}

describe("Gajim's library (nbxmpp)", () => {
  it("registers through the XEP-0077 data form", async () => {
    const seen = await asGajim("gabi", "register", { register_as: "gabi" });
    expect(seen).toMatchObject({ form: "x-data", registered: true });
    expect(seen.fields).toContain("username");
    expect((await w.world.accounts.byJid(`gabi@${HOST}`))?.username).toBe("gabi");
  });

  it("checks the caps hash, lists and runs commands, and pays in two steps with one session id", async () => {
    const { user } = await w.world.accounts.register(`gina@${HOST}`, "gina");
    await w.world.accounts.register(`hugo@${HOST}`, "hugo");
    const [address] = await w.world.accounts.addresses(user.id);
    await w.world.pay(address!.address, btc("0.01"));
    await w.world.mine(1);
    await w.world.scan();
    const hugo = (await w.world.accounts.byUsername("hugo"))!;
    const before = await w.world.accounts.balance(hugo.id);

    const seen = await asGajim("gina", "commands", { payee: `hugo@${w.domain}`, amount: "0.001" });
    // XEP-0115 as Gajim checks it: the advertised ver is the hash of what node#ver answers.
    const caps = seen.caps as { hash: string; ver: string; computed: string };
    expect(caps.hash).toBe("sha-1");
    expect(caps.computed).toBe(caps.ver);
    expect(seen.gateway).toEqual(expect.arrayContaining(["balance", "address", "history", "help"]));
    expect(seen.balance).toMatchObject({ status: "completed" });
    expect((seen.balance as { notes: string[] }).notes.join(" ")).toMatch(/0\.01/);
    expect(seen.payee).toContain("pay");
    const form = seen.form as { status: string; sessionid: string; fields: string[] };
    expect(form.status).toBe("executing");
    expect(form.fields).toEqual(expect.arrayContaining(["amount", "reason"]));
    const summary = seen.summary as { status: string; sessionid: string; actions: string[] };
    expect(summary).toMatchObject({ status: "executing", sessionid: form.sessionid });
    expect(summary.actions).toEqual(expect.arrayContaining(["cancel", "complete"]));
    expect(seen.final).toMatchObject({ status: "completed", sessionid: form.sessionid });

    const after = await w.world.accounts.balance(hugo.id);
    expect(after.confirmed - before.confirmed).toBe(btc("0.001"));
  });
});
