/** Starting the sandbox chain: a JSON-RPC server on a port, over its state. */
import { launch } from "./server.js";

export interface SandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = a free port (the default here; the bin defaults to 18443). */
  port?: number;
  /** Default "bitcoim". */
  user?: string;
  /** Default "bitcoim". */
  password?: string;
  /** Persist the state as JSON: loaded at start, saved after changes (atomic write). */
  stateFile?: string;
  /** sat/vB, default 20 like Core's -fallbackfee in the recordings. */
  fallbackFeeRate?: number;
}

export interface Sandbox {
  /** "http://127.0.0.1:PORT" */
  readonly url: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const user = options.user ?? "bitcoim";
  const password = options.password ?? "bitcoim";
  const launched = await launch({
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    user,
    password,
    stateFile: options.stateFile,
    fallbackFeeRate: options.fallbackFeeRate ?? 20,
  });
  return { url: launched.url, port: launched.port, user, password, close: launched.close };
}
