/**
 * The demo's world, all local and throwaway: a Prosody (the Debian
 * package) with two users, a regtest chain (the sandbox, or a real
 * `bitcoind -regtest` given its binary) with the gateway's wallet and an
 * "outside" wallet holding mined coins, and a configuration file for the
 * gateway pointing at them, with PGlite as the database. ejabberd in
 * place of Prosody, on request: it lets several gateway processes share
 * the component's domain.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RpcBitcoinNode } from "@bitcoim/wallet";
import { type ChainKind, startChain, type TestChain } from "@bitcoim/wallet/regtest";
import { createEjabberd, createProsody, type LocalXmppServer } from "@bitcoim/xmpp/testing";

export const DEMO_HOST = "example.localhost";
export const DEMO_DOMAIN = "bitcoin.example.localhost";

export interface DemoWorld {
  dir: string;
  configPath: string;
  /** The XMPP server: Prosody, or ejabberd when asked for. */
  prosody: LocalXmppServer;
  /** Stopped and started again by tests that take the node away. */
  chain: TestChain;
  outside: RpcBitcoinNode;
  /** Mines blocks paying an outside address. */
  mine(blocks: number): Promise<void>;
  users: { name: string; jid: string; password: string }[];
  close(): Promise<void>;
}

export async function setUpDemo(
  names: string[] = ["alice", "bob"],
  options: {
    chain?: ChainKind;
    binary?: string;
    gateway?: string;
    server?: "prosody" | "ejabberd";
  } = {},
): Promise<DemoWorld> {
  const dir = await mkdtemp(join(tmpdir(), "bitcoim-demo-"));
  const cleanup: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  };
  try {
    const create = options.server === "ejabberd" ? createEjabberd : createProsody;
    const prosody = await create({ hosts: [DEMO_HOST], component: DEMO_DOMAIN });
    cleanup.push(() => prosody.close());
    await prosody.start();
    const users = names.map((name) => ({
      name,
      jid: `${name}@${DEMO_HOST}`,
      password: randomBytes(6).toString("hex"),
    }));
    for (const u of users) await prosody.register(u.name, DEMO_HOST, u.password);

    const chain = await startChain(options.chain ?? "sandbox", {
      ...(options.binary === undefined ? {} : { binary: options.binary }),
    });
    cleanup.push(() => chain.close());
    const { outside } = chain;
    const mine = async (blocks: number) => {
      await chain.mine(blocks);
    };
    const { url, user, password } = chain.endpoint;

    const configPath = join(dir, "bitcoim.toml");
    const port = new URL(prosody.componentService).port;
    await writeFile(
      configPath,
      `# Written by \`bitcoim demo\`: everything local and throwaway.
[xmpp]
jid = "${DEMO_DOMAIN}"
secret = "${prosody.componentSecret}"
host = "127.0.0.1"
port = ${port}

[bitcoin]
network = "regtest"
url = "${url}"
user = "${user}"
password = "${password}"
wallet = "gw"

[gateway]
log_level = "warning"
admins = ["${users[0]!.jid}"]
languages = ["fr"]
state_dir = "${join(dir, "state")}"
${options.gateway ?? ""}
`,
    );
    return { chain, dir, configPath, prosody, outside, mine, users, close };
  } catch (error) {
    await close();
    throw error;
  }
}
