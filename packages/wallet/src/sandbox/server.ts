/** Wires node, dispatcher, HTTP server and persistence together. */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import { createSandboxHandler } from "./handler.js";
import { createNode } from "./node.js";
import { loadState, saveState } from "./state.js";

export interface LaunchOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly stateFile?: string | undefined;
  /** sat/vB */
  readonly fallbackFeeRate: number;
}

export interface Launched {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  /** Resolves once the sandbox has shut down (close() or the `stop` RPC). */
  readonly closed: Promise<void>;
}

/**
 * Saves at most every SAVE_INTERVAL_MS, or four times the last save's
 * duration when the state is big, so thousands of calls in a row do not
 * spend their time rewriting the file.
 */
const SAVE_INTERVAL_MS = 100;

export async function launch(opts: LaunchOptions): Promise<Launched> {
  const file = opts.stateFile ? resolve(opts.stateFile) : undefined;
  let dirty = false;
  let lastSave = 0;
  let interval = SAVE_INTERVAL_MS;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!file || !dirty) return;
    dirty = false;
    lastSave = Date.now();
    try {
      saveState(file, node.snapshot());
      interval = Math.max(SAVE_INTERVAL_MS, 4 * (Date.now() - lastSave));
    } catch (e) {
      // Runs after a reply, where nobody can catch it: warn instead of crashing.
      process.emitWarning(`bitcoim sandbox could not save ${file}: ${String(e)}`);
    }
  };
  const node = createNode({
    fallbackFeeRate: BigInt(Math.round(opts.fallbackFeeRate * 1000)),
    datadir: file ? dirname(file) : "sandbox",
    onChange: () => {
      dirty = file !== undefined;
    },
  });
  if (file) {
    const snap = loadState(file);
    if (snap) node.restore(snap);
    // Writes once now, so an unwritable path fails startSandbox rather than later saves.
    else saveState(file, node.snapshot());
  }
  let closing: Promise<void> | undefined;
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });
  const close = (): Promise<void> => {
    closing ??= (async () => {
      flush();
      node.close();
      const done = once(server, "close");
      server.close();
      server.closeAllConnections();
      await done;
      resolveClosed();
    })();
    return closing;
  };
  let stopRequested = false;
  const server = createServer(
    createSandboxHandler({
      node,
      user: opts.user,
      password: opts.password,
      requestStop: () => {
        stopRequested = true;
      },
      afterReply: () => {
        if (stopRequested) {
          void close();
          return;
        }
        if (!dirty || timer) return;
        const wait = interval - (Date.now() - lastSave);
        if (wait <= 0) flush();
        else timer = setTimeout(flush, wait);
      },
    }),
  );
  server.keepAliveTimeout = 30_000;
  server.listen(opts.port, opts.host);
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  return { url: `http://${host}:${port}`, port, close, closed };
}
