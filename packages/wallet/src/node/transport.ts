/**
 * One JSON-RPC call over the `bitcoin-core` client, with credentials from
 * options or Core's cookie file, and failures mapped to `BitcoinNodeError`.
 *
 * Parameters are always positional (the client sends named ones only when
 * given a `version`, which also makes it refuse methods it does not list);
 * trailing nulls are dropped, inner nulls mean "default" to Core.
 */
import { readFile } from "node:fs/promises";
import Client from "bitcoin-core";
import { classifyFailure, isSendMethod, sendFailure } from "./classify.js";
import { BitcoinNodeError } from "./errors.js";

export interface BitcoinNodeOptions {
  /** `http://host:port` of the node (no path; the port goes here). */
  url: string;
  user?: string;
  password?: string;
  /** Wallet name: wallet calls go to `/wallet/<name>`. */
  wallet?: string;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  /** Core's `.cookie` (`__cookie__:<password>`), read on every call as Core rewrites it at each start. */
  cookieFile?: string;
}

export type RpcCall = (method: string, params?: readonly unknown[]) => Promise<unknown>;

// A fresh connection per call. Node's global agent keeps sockets alive; after
// the node restarts, the next call would go out on a dead socket and fail with
// ECONNRESET — for a send, a false "outcome unknown" on a call never delivered.
const NO_KEEP_ALIVE = { Connection: "close" };

// The client's default logger is a bunyan instance per client; we log elsewhere.
const silentLogger = { debug: () => undefined };

export function createRpcCall(options: BitcoinNodeOptions): RpcCall {
  const host = checkUrl(options.url);
  const timeout = options.timeoutMs ?? 30_000;
  if (!Number.isSafeInteger(timeout) || timeout <= 0) {
    throw misconfigured(`timeoutMs must be a positive integer of milliseconds, got ${timeout}`);
  }
  const cookieFile = options.cookieFile;
  if (cookieFile === undefined && (options.user === undefined || options.password === undefined)) {
    throw misconfigured("Bitcoin RPC needs user and password, or cookieFile");
  }
  if (options.wallet !== undefined && options.wallet.trim() !== options.wallet) {
    throw misconfigured(`Wallet name "${options.wallet}" has leading or trailing spaces`);
  }
  const wallet = options.wallet === undefined ? undefined : encodeURIComponent(options.wallet);
  // One client per credentials: only changes when the cookie does (node restart).
  let current: { key: string; client: Client } | undefined;

  async function clientFor(): Promise<Client> {
    const [username, password] =
      cookieFile === undefined
        ? [options.user ?? "", options.password ?? ""]
        : await readCookie(cookieFile);
    const key = `${username}:${password}`;
    if (current?.key !== key) {
      const config = {
        host,
        username,
        password,
        timeout,
        headers: NO_KEEP_ALIVE,
        logger: silentLogger,
      };
      current = { key, client: new Client(wallet === undefined ? config : { ...config, wallet }) };
    }
    return current.client;
  }

  return async (method, params = []) => {
    const client = await clientFor();
    const args = [...params];
    while (args.length > 0 && (args.at(-1) === null || args.at(-1) === undefined)) args.pop();
    try {
      return await client.command(method, ...args);
    } catch (error) {
      throw isSendMethod(method) ? sendFailure(error, method) : classifyFailure(error, method);
    }
  };
}

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw misconfigured(`Bitcoin RPC url "${url}" is not a URL (expected http://host:port)`, cause);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw misconfigured(`Bitcoin RPC url "${url}" must start with http:// or https://`);
  }
  if (parsed.pathname !== "/" || parsed.search !== "" || parsed.username !== "") {
    throw misconfigured(
      `Bitcoin RPC url "${url}" must be only http(s)://host:port (set wallet and user apart)`,
    );
  }
  return `${parsed.protocol}//${parsed.host}`;
}

async function readCookie(path: string): Promise<[string, string]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw misconfigured(`Cannot read the Bitcoin RPC cookie file ${path}`, cause);
  }
  const line = text.trim();
  const colon = line.indexOf(":");
  if (colon <= 0) throw misconfigured(`Cookie file ${path} is not "user:password"`);
  return [line.slice(0, colon), line.slice(colon + 1)];
}

function misconfigured(message: string, cause?: unknown): BitcoinNodeError {
  return new BitcoinNodeError("NODE_MISCONFIGURED", message, cause === undefined ? {} : { cause });
}
