/**
 * Core's HTTP JSON-RPC front: basic auth, `/` and `/wallet/<name>`, JSON-RPC
 * 1.0 (legacy) and 2.0 replies with Core's HTTP statuses, batches, notifications.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { RPC, RpcError } from "./errors.js";
import { type JsonIn, JsonNumber, parseJson, writeJson } from "./json.js";

export type Dispatch = (method: string, params: JsonIn, wallet: string | undefined) => unknown;

export interface HttpDeps {
  readonly user: string;
  readonly password: string;
  readonly dispatch: Dispatch;
  /** Runs after the reply to a call has been written (used by `stop`). */
  readonly afterReply?: () => void;
}

type Version = "1.0" | "2.0";
interface Reply {
  readonly body: Record<string, unknown> | null;
  readonly status: number;
}

const MAX_BODY = 32 * 1024 * 1024;
const HTML = "text/html; charset=ISO-8859-1";

function authorized(header: string | undefined, user: string, password: string): boolean {
  if (!header?.startsWith("Basic ")) return false;
  const given = Buffer.from(header.slice(6).trim(), "base64");
  const expected = Buffer.from(`${user}:${password}`, "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function statusFor(code: number): number {
  if (code === RPC.INVALID_REQUEST) return 400;
  if (code === RPC.METHOD_NOT_FOUND) return 404;
  return 500;
}

function errorOf(e: unknown): { code: number; message: string } {
  if (e instanceof RpcError) return { code: e.rpcCode, message: e.message };
  return { code: RPC.MISC_ERROR, message: e instanceof Error ? e.message : String(e) };
}

function reply(version: Version, id: JsonIn | undefined, result: unknown, error?: unknown): Reply {
  if (error === undefined) {
    const body = version === "2.0" ? { jsonrpc: "2.0", result, id } : { result, error: null, id };
    return { body, status: 200 };
  }
  const err = errorOf(error);
  if (version === "2.0") return { body: { jsonrpc: "2.0", error: err, id }, status: 200 };
  return { body: { result: null, error: err, id }, status: statusFor(err.code) };
}

/** One request object; null when it is a 2.0 notification (no reply). */
function handleOne(request: JsonIn, wallet: string | undefined, dispatch: Dispatch): Reply | null {
  if (
    request === null ||
    typeof request !== "object" ||
    Array.isArray(request) ||
    request instanceof JsonNumber
  ) {
    return reply("1.0", null, null, new RpcError(RPC.INVALID_REQUEST, "Invalid Request object"));
  }
  const id = "id" in request ? request.id : undefined;
  let version: Version = "1.0";
  try {
    const jsonrpc = request.jsonrpc;
    if (jsonrpc !== undefined && jsonrpc !== null) {
      if (typeof jsonrpc !== "string")
        throw new RpcError(RPC.INVALID_REQUEST, "jsonrpc field must be a string");
      if (jsonrpc === "2.0") version = "2.0";
      else if (jsonrpc !== "1.0")
        throw new RpcError(RPC.INVALID_REQUEST, "JSON-RPC version not supported");
    }
    const method = request.method;
    if (method === undefined || method === null)
      throw new RpcError(RPC.INVALID_REQUEST, "Missing method");
    if (typeof method !== "string")
      throw new RpcError(RPC.INVALID_REQUEST, "Method must be a string");
    const params = request.params ?? [];
    if (typeof params !== "object" || params instanceof JsonNumber) {
      throw new RpcError(RPC.INVALID_REQUEST, "Params must be an array or object");
    }
    if (version === "2.0" && id === undefined) {
      try {
        dispatch(method, params, wallet);
      } catch {
        // Notifications never answer, not even errors (Core does the same).
      }
      return null;
    }
    return reply(version, id, dispatch(method, params, wallet));
  } catch (e) {
    return reply(version, id, null, e);
  }
}

function walletFromPath(path: string): string | undefined | false {
  if (path === "/" || path === "") return undefined;
  if (path.startsWith("/wallet/")) {
    try {
      return decodeURIComponent(path.slice("/wallet/".length));
    } catch {
      return false;
    }
  }
  return false;
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  const bytes = Buffer.from(body, "utf8");
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": String(bytes.length),
    ...headers,
  });
  res.end(bytes);
}

function respond(deps: HttpDeps, req: IncomingMessage, res: ServerResponse, body: string): void {
  if (req.method !== "POST") {
    send(res, 405, "JSONRPC server handles only POST requests", { "Content-Type": HTML });
    return;
  }
  if (!authorized(req.headers.authorization, deps.user, deps.password)) {
    res.writeHead(401, {
      "WWW-Authenticate": 'Basic realm="jsonrpc"',
      "Content-Length": "0",
      "Content-Type": HTML,
    });
    res.end();
    return;
  }
  const wallet = walletFromPath(new URL(req.url ?? "/", "http://sandbox").pathname);
  if (wallet === false) {
    send(res, 404, "", { "Content-Type": HTML });
    return;
  }
  let parsed: JsonIn;
  try {
    parsed = parseJson(body);
  } catch {
    const r = reply("1.0", null, null, new RpcError(RPC.PARSE_ERROR, "Parse error"));
    send(res, r.status, `${writeJson(r.body)}\n`);
    return;
  }
  if (Array.isArray(parsed)) {
    const replies = parsed
      .map((one) => handleOne(one, wallet, deps.dispatch))
      .filter((r): r is Reply => r !== null)
      .map((r) => r.body);
    send(res, 200, `${writeJson(replies)}\n`);
    return;
  }
  if (parsed === null || typeof parsed !== "object" || parsed instanceof JsonNumber) {
    const err = new RpcError(RPC.PARSE_ERROR, "Top-level object parse error");
    const r = reply("1.0", null, null, err);
    send(res, r.status, `${writeJson(r.body)}\n`);
    return;
  }
  const r = handleOne(parsed, wallet, deps.dispatch);
  if (r === null) {
    res.writeHead(204);
    res.end();
  } else send(res, r.status, `${writeJson(r.body)}\n`);
}

export function createRpcHandler(deps: HttpDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    res.once("finish", () => deps.afterReply?.());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => {
      try {
        respond(deps, req, res, Buffer.concat(chunks).toString("utf8"));
      } catch (e) {
        // A bug must not take the node down: answer like Core's internal error.
        if (!res.headersSent) {
          const r = reply("1.0", null, null, new RpcError(-32603, errorOf(e).message));
          send(res, 500, `${writeJson(r.body)}\n`);
        }
      }
    });
  };
}
