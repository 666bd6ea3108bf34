/** Test helpers: bitcoin-core clients and raw HTTP calls against a running sandbox. */
import Client from "bitcoin-core";
import type { Sandbox } from "../../src/sandbox/index.js";

export function client(sandbox: Sandbox, wallet?: string): Client {
  return new Client({
    host: sandbox.url,
    username: sandbox.user,
    password: sandbox.password,
    ...(wallet === undefined ? {} : { wallet }),
  });
}

export interface RawReply {
  status: number;
  text: string;
  headers: Headers;
}

/** POSTs a raw body, with the sandbox's credentials unless `auth` says otherwise. */
export async function raw(
  sandbox: Sandbox,
  body: string,
  opts: { path?: string; auth?: string | null; method?: string } = {},
): Promise<RawReply> {
  const auth = opts.auth === undefined ? `${sandbox.user}:${sandbox.password}` : opts.auth;
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (auth !== null) headers.Authorization = `Basic ${Buffer.from(auth).toString("base64")}`;
  const method = opts.method ?? "POST";
  const res = await fetch(`${sandbox.url}${opts.path ?? "/"}`, {
    method,
    headers,
    ...(method === "GET" ? {} : { body }),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** A JSON-RPC 1.0 call returning the raw reply text (to check Core's number formatting). */
export function call(
  sandbox: Sandbox,
  method: string,
  params: string,
  path = "/",
): Promise<RawReply> {
  return raw(sandbox, `{"jsonrpc":"1.0","id":1,"method":"${method}","params":${params}}`, { path });
}

export interface RpcFailure {
  code: number;
  message: string;
}

/** The RPC error a bitcoin-core client call rejects with. */
export async function rpcError(promise: Promise<unknown>): Promise<RpcFailure> {
  try {
    await promise;
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown };
    return { code: Number(err.code), message: String(err.message) };
  }
  throw new Error("expected the call to fail");
}
