/**
 * A real, local ejabberd (the Debian package, 23.01) for tests: free
 * loopback ports, a temporary config and Mnesia directory, ready when its
 * ports accept connections, stopped by PID. Like prosody.ts, but here
 * several component connections may share one domain: ejabberd balances
 * stanzas to that domain over them, which is how several gateway processes
 * serve one component JID.
 *
 * It runs `erl -s ejabberd` directly rather than through `ejabberdctl`:
 * Debian's ejabberdctl.cfg forces /etc/ejabberd/ejabberd.yml and the
 * `ejabberd` system user, and its commands need Erlang distribution (an
 * `epmd` daemon left running). Without a node name there is no distribution
 * and no epmd, so nothing can collide with a system ejabberd, and stopping
 * our one PID stops everything we started. Users are registered through
 * the HTTP API (`/api/register`, loopback only) instead of `ejabberdctl`.
 * Not for production: plain authentication without TLS, on loopback.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, type LocalXmppServer, waitForPort } from "./server.js";

const ERL = "/usr/bin/erl";
/** The Debian wrapper names where the package's Erlang applications live (ERL_LIBS). */
const EJABBERDCTL = "/usr/sbin/ejabberdctl";
const READY_TIMEOUT_MS = 20_000;

export interface EjabberdOptions {
  /** Virtual hosts; a dotted one for users and the dotless `localhost` for refusal tests. */
  readonly hosts?: readonly string[];
  /** The component's domain. */
  readonly component?: string;
}

export type Ejabberd = LocalXmppServer;

/** ERL_LIBS as the installed ejabberdctl sets it (Debian: /usr/lib/<multiarch>). */
async function erlLibs(): Promise<string> {
  const script = await readFile(EJABBERDCTL, "utf8").catch(() => {
    throw new Error(`${EJABBERDCTL} not found: install the Debian ejabberd package`);
  });
  const libs = /^ERL_LIBS='([^']+)'/m.exec(script)?.[1];
  if (!libs) throw new Error(`no ERL_LIBS in ${EJABBERDCTL}`);
  return libs;
}

interface Ports {
  c2s: number;
  component: number;
  http: number;
}

function config(o: { ports: Ports; hosts: readonly string[]; component: string; secret: string }) {
  // JSON strings are valid YAML scalars: no quoting surprises.
  const s = (value: string) => JSON.stringify(value);
  return `# generated for a test run
hosts: [${o.hosts.map(s).join(", ")}]
loglevel: info
log_rotate_count: 0
auth_method: internal
auth_password_format: plain
# No certificates: no STARTTLS offered, and no ACME requests for them.
acme:
  auto: false
listen:
  - port: ${o.ports.c2s}
    ip: "127.0.0.1"
    module: ejabberd_c2s
  - port: ${o.ports.component}
    ip: "127.0.0.1"
    module: ejabberd_service
    hosts:
      ${s(o.component)}:
        password: ${s(o.secret)}
  - port: ${o.ports.http}
    ip: "127.0.0.1"
    module: ejabberd_http
    request_handlers:
      /api: mod_http_api
api_permissions:
  "register from loopback":
    who:
      ip: 127.0.0.1/8
    what:
      - register
modules:
  mod_disco: {}
  mod_http_api: {}
  mod_ping: {}
  mod_roster: {}
`;
}

export async function createEjabberd(options: EjabberdOptions = {}): Promise<Ejabberd> {
  const hosts = options.hosts ?? ["example.localhost", "localhost"];
  const component = options.component ?? "bitcoin.example.localhost";
  const secret = randomBytes(12).toString("hex");
  const [c2s, componentPort, http, libs] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    erlLibs(),
  ]);
  const ports = { c2s, component: componentPort, http };
  const dir = await mkdtemp(join(tmpdir(), "bitcoim-ejabberd-"));
  await mkdir(join(dir, "mnesia"));
  const configPath = join(dir, "ejabberd.yml");
  await writeFile(configPath, config({ ports, hosts, component, secret }));
  const logPath = join(dir, "ejabberd.log");
  const log = () => readFile(logPath, "utf8").catch(() => "");

  let child: ChildProcess | undefined;
  let exit: Promise<void> = Promise.resolve();

  async function start(): Promise<void> {
    if (child) throw new Error("ejabberd is already running");
    const args = [
      "-noshell",
      "-noinput",
      ...["-env", "ERL_CRASH_DUMP_BYTES", "0"],
      ...["-mnesia", "dir", JSON.stringify(join(dir, "mnesia"))],
      ...["-s", "ejabberd"],
    ];
    const env = {
      ...process.env,
      EJABBERD_CONFIG_PATH: configPath,
      EJABBERD_LOG_PATH: logPath,
      ERL_LIBS: libs,
      ERL_CRASH_DUMP: join(dir, "erl_crash.dump"),
      HOME: dir,
    };
    // erl execs into the VM, so this PID is ejabberd's; it logs to stdout too.
    const proc = spawn(ERL, args, { env, cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    proc.stdout?.on("data", keep);
    proc.stderr?.on("data", keep);
    exit = new Promise((resolve) => proc.once("exit", () => resolve()));
    // Never leave an ejabberd behind, even if the test process dies early.
    const reap = () => proc.kill("SIGTERM");
    process.once("exit", reap);
    void exit.then(() => process.off("exit", reap));
    const exited = exit.then(() => {
      if (child === proc) child = undefined;
      throw new Error(`ejabberd exited during start-up:\n${output}`);
    });
    exited.catch(() => {});
    const deadline = Date.now() + READY_TIMEOUT_MS;
    try {
      for (const port of [ports.c2s, ports.component, ports.http]) {
        await waitForPort(port, exited, deadline);
      }
    } catch (error) {
      await stop();
      throw error;
    }
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (!proc?.pid) return;
    child = undefined;
    // The VM treats SIGTERM as init:stop(): a clean shutdown.
    proc.kill("SIGTERM");
    await exit;
  }

  return {
    dir,
    configPath,
    c2sService: `xmpp://127.0.0.1:${ports.c2s}`,
    componentService: `xmpp://127.0.0.1:${ports.component}`,
    componentDomain: component,
    componentSecret: secret,
    async register(user, host, password) {
      const response = await fetch(`http://127.0.0.1:${ports.http}/api/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user, host, password }),
      });
      if (!response.ok) {
        throw new Error(`ejabberd refused to register ${user}@${host}: ${await response.text()}`);
      }
    },
    start,
    stop,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
    log,
  };
}
