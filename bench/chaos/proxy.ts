/**
 * An HTTP proxy in front of the node's RPC port that can lose one reply
 * after the node acted: the call is forwarded and answered by the node,
 * then the gateway's connection is reset instead of being answered. This is
 * what a network cut at the wrong moment does to `sendrawtransaction`.
 */
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReplyDropper {
  url: string;
  /** Loses the reply to the next call of `method`; resolves once that happened. */
  dropNext(method: string): Promise<void>;
  close(): Promise<void>;
}

export async function startReplyDropper(target: string): Promise<ReplyDropper> {
  const to = new URL(target);
  const armed = new Map<string, () => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const method = methodOf(body);
      const forward = request(
        {
          host: to.hostname,
          port: to.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on("data", (c: Buffer) => parts.push(c));
          answer.on("end", () => {
            const lose = method === undefined ? undefined : armed.get(method);
            if (lose && answer.statusCode === 200) {
              armed.delete(method!);
              req.socket.destroy(); // the node acted; the caller never hears of it
              lose();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(parts));
          });
        },
      );
      forward.on("error", () => req.socket.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = new URL(target);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString().replace(/\/$/, ""),
    dropNext: (method) => new Promise((resolve) => armed.set(method, resolve)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function methodOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString()) as { method?: unknown };
    return typeof parsed.method === "string" ? parsed.method : undefined;
  } catch {
    return undefined;
  }
}
