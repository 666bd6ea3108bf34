/**
 * The demo's world, all local and throwaway: a Prosody (the Debian
 * package) with two users, the sandbox chain with the gateway's wallet and
 * an "outside" wallet holding mined coins, and a configuration file for
 * the gateway pointing at them, with PGlite as the database.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RpcBitcoinNode } from "@bitcoim/wallet";
import { type Sandbox, startFundedSandbox } from "@bitcoim/wallet/sandbox";
import { createProsody, type Prosody } from "@bitcoim/xmpp/testing";

export const DEMO_HOST = "example.localhost";
export const DEMO_DOMAIN = "bitcoin.example.localhost";

export interface DemoWorld {
  dir: string;
  configPath: string;
  prosody: Prosody;
  /** Replaced by a test that restarts the chain. */
  chain: Sandbox;
  outside: RpcBitcoinNode;
  /** Mines blocks paying an outside address. */
  mine(blocks: number): Promise<void>;
  users: { name: string; jid: string; password: string }[];
  close(): Promise<void>;
}

export async function setUpDemo(
  names: string[] = ["alice", "bob"],
  options: { stateFile?: boolean } = {},
): Promise<DemoWorld> {
  const dir = await mkdtemp(join(tmpdir(), "bitcoim-demo-"));
  const cleanup: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  };
  try {
    const prosody = await createProsody({ hosts: [DEMO_HOST], component: DEMO_DOMAIN });
    cleanup.push(() => prosody.close());
    await prosody.start();
    const users = names.map((name) => ({
      name,
      jid: `${name}@${DEMO_HOST}`,
      password: randomBytes(6).toString("hex"),
    }));
    for (const u of users) await prosody.register(u.name, DEMO_HOST, u.password);

    const funded = await startFundedSandbox(
      options.stateFile ? { stateFile: join(dir, "chain.json") } : {},
    );
    // `chain` is replaced by a test that restarts the sandbox.
    const world = { chain: funded.sandbox };
    cleanup.push(() => world.chain.close());
    const { outside } = funded;
    const chain = funded.sandbox;
    const mine = async (blocks: number) => {
      await funded.mine(blocks);
    };

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
url = "${chain.url}"
user = "${chain.user}"
password = "${chain.password}"
wallet = "gw"

[gateway]
log_level = "warning"
admins = ["${users[0]!.jid}"]
languages = ["fr"]
state_dir = "${join(dir, "state")}"
`,
    );
    return Object.assign(world, { dir, configPath, prosody, outside, mine, users, close });
  } catch (error) {
    await close();
    throw error;
  }
}
