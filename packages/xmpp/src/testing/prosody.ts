/**
 * A real, local Prosody (the Debian package) for tests and the demo: free
 * loopback ports, a temporary config and data directory, ready when its
 * ports accept connections, stopped by PID. Prosody refuses to run as root,
 * so as root it runs as the `prosody` user (setpriv) on files that user owns.
 * Not for production: authentication is set up for speed on loopback.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, type LocalXmppServer, waitForPort } from "./server.js";

const run = promisify(execFile);
const PROSODY = "/usr/bin/prosody";
const PROSODYCTL = "/usr/bin/prosodyctl";
const READY_TIMEOUT_MS = 10_000;

export interface ProsodyOptions {
  /** VirtualHosts; a dotted one for users and the dotless `localhost` for refusal tests. */
  readonly hosts?: readonly string[];
  /** The component's domain. */
  readonly component?: string;
  /**
   * XEP-0356: the roster access every VirtualHost grants the component,
   * through `mod_privilege` from Debian's prosody-modules. `version` 1
   * runs the same module speaking the older namespace, `urn:xmpp:privilege:1`
   * (a copy, in the test's own plugin directory).
   */
  readonly privilege?: { readonly roster: "get" | "set" | "both"; readonly version?: 1 | 2 };
}

/** Where Debian's prosody-modules puts mod_privilege. */
export const MOD_PRIVILEGE = "/usr/lib/prosody/modules/mod_privilege/mod_privilege.lua";

/** A plugin directory for `version`, or none when the shipped module serves. */
async function privilegePlugins(dir: string, version: 1 | 2): Promise<string | undefined> {
  const source = await readFile(MOD_PRIVILEGE, "utf8").catch((error: unknown) => {
    throw new Error(
      `mod_privilege is not installed (${MOD_PRIVILEGE}); install Debian's prosody-modules`,
      { cause: error },
    );
  });
  if (version === 2) return undefined;
  const plugins = join(dir, "plugins");
  await mkdir(join(plugins, "mod_privilege"), { recursive: true });
  const older = source.replaceAll("urn:xmpp:privilege:2", "urn:xmpp:privilege:1");
  await writeFile(join(plugins, "mod_privilege", "mod_privilege.lua"), older);
  return plugins;
}

export type Prosody = LocalXmppServer;

async function prosodyIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = await Promise.all([
    run("id", ["-u", "prosody"]),
    run("id", ["-g", "prosody"]),
  ]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function config(o: {
  dir: string;
  c2sPort: number;
  componentPort: number;
  hosts: readonly string[];
  component: string;
  secret: string;
  privilege: ProsodyOptions["privilege"];
  plugins: string | undefined;
}): string {
  const lua = (s: string) => JSON.stringify(s);
  const grant = o.privilege
    ? `\n  privileged_entities = { [${lua(o.component)}] = { roster = ${lua(o.privilege.roster)} } }`
    : "";
  return `-- generated for a test run
pidfile = ${lua(join(o.dir, "prosody.pid"))}
data_path = ${lua(join(o.dir, "data"))}
certificates = ${lua(join(o.dir, "certs"))}
log = { { levels = { min = "info" }, to = "file", filename = ${lua(join(o.dir, "prosody.log"))} } }
interfaces = { "127.0.0.1" }
c2s_ports = { ${o.c2sPort} }
component_interfaces = { "127.0.0.1" }
component_ports = { ${o.componentPort} }
modules_enabled = { "roster", "saslauth", "disco", "ping", "posix"${o.privilege ? ', "privilege"' : ""} }${o.plugins ? `\nplugin_paths = { ${lua(o.plugins)} }` : ""}
modules_disabled = { "s2s" }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_hashed"
storage = "internal"
default_iteration_count = 16
${o.hosts.map((host) => `VirtualHost ${lua(host)}${grant}`).join("\n")}
Component ${lua(o.component)}
  component_secret = ${lua(o.secret)}${o.privilege ? '\n  modules_enabled = { "privilege" } -- it hears the handshake here, and advertises' : ""}
`;
}

export async function createProsody(options: ProsodyOptions = {}): Promise<Prosody> {
  const hosts = options.hosts ?? ["example.localhost", "localhost"];
  const component = options.component ?? "bitcoin.example.localhost";
  const secret = randomBytes(12).toString("hex");
  const [c2sPort, componentPort, ids] = await Promise.all([freePort(), freePort(), prosodyIds()]);
  const dir = await mkdtemp(join(tmpdir(), "bitcoim-prosody-"));
  for (const sub of ["data", "certs"]) await mkdir(join(dir, sub));
  const configPath = join(dir, "prosody.cfg.lua");
  const { privilege } = options;
  const plugins = privilege ? await privilegePlugins(dir, privilege.version ?? 2) : undefined;
  const settings = { dir, c2sPort, componentPort, hosts, component, secret, privilege, plugins };
  await writeFile(configPath, config(settings));
  if (ids) {
    for (const path of [dir, join(dir, "data"), join(dir, "certs"), configPath]) {
      await chown(path, ids.uid, ids.gid);
    }
  }

  let child: ChildProcess | undefined;
  let exit: Promise<void> = Promise.resolve();
  const logPath = join(dir, "prosody.log");
  const log = () => readFile(logPath, "utf8").catch(() => "");

  async function start(): Promise<void> {
    if (child) throw new Error("Prosody is already running");
    const prosody = [PROSODY, "--config", configPath, "-F"];
    const asUser = ["--reuid=prosody", "--regid=prosody", "--init-groups"];
    const [command, ...args] = ids ? ["setpriv", ...asUser, ...prosody] : prosody;
    const proc = spawn(command!, args, { stdio: ["ignore", "ignore", "pipe"] });
    child = proc;
    let stderr = "";
    proc.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    exit = new Promise((resolve) => proc.once("exit", () => resolve()));
    // Never leave a Prosody behind, even if the test process dies early.
    const reap = () => proc.kill("SIGTERM");
    process.once("exit", reap);
    void exit.then(() => process.off("exit", reap));
    const exited = exit.then(async () => {
      if (child === proc) child = undefined;
      throw new Error(`Prosody exited during start-up: ${stderr}\n${await log()}`);
    });
    exited.catch(() => {});
    const deadline = Date.now() + READY_TIMEOUT_MS;
    await waitForPort(c2sPort, exited, deadline);
    await waitForPort(componentPort, exited, deadline);
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (!proc?.pid) return;
    child = undefined;
    proc.kill("SIGTERM");
    await exit;
  }

  return {
    dir,
    configPath,
    c2sService: `xmpp://127.0.0.1:${c2sPort}`,
    componentService: `xmpp://127.0.0.1:${componentPort}`,
    componentDomain: component,
    componentSecret: secret,
    async register(username, host, password) {
      await run(PROSODYCTL, ["--config", configPath, "register", username, host, password]);
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
