/**
 * Tries the XEP-0114 handshake (§3) the way the gateway will: opens a
 * `jabber:component:accept` stream to the component's domain, answers the
 * server's stream id with SHA-1(id + secret), and closes again. Tells apart
 * a closed port, a domain the server does not know, and a wrong secret.
 */
import { createHash } from "node:crypto";
import { connect } from "node:net";

export type HandshakeResult =
  | { ok: true; note?: string }
  | {
      ok: false;
      problem: "unreachable" | "unknown-domain" | "not-authorized" | "protocol";
      detail: string;
    };

export interface HandshakeOptions {
  host: string;
  port: number;
  domain: string;
  secret: string;
  timeoutMs?: number;
}

const escapeAttr = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/'/g, "&apos;").replace(/</g, "&lt;");

export function tryHandshake(options: HandshakeOptions): Promise<HandshakeResult> {
  const { host, port, domain, secret } = options;
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = "";
    let sentHandshake = false;
    let done = false;
    const finish = (result: HandshakeResult) => {
      if (done) return;
      done = true;
      socket.removeAllListeners("data");
      if (socket.writable) socket.end("</stream:stream>");
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () =>
      finish({
        ok: false,
        problem: sentHandshake ? "protocol" : "unreachable",
        detail: `no answer within ${timeoutMs / 1000} s`,
      }),
    );
    socket.once("error", (error: NodeJS.ErrnoException) =>
      finish({ ok: false, problem: "unreachable", detail: error.code ?? error.message }),
    );
    socket.once("connect", () => {
      socket.write(
        `<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='${escapeAttr(domain)}'>`,
      );
    });
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("utf8");
      const error = /<stream:error>\s*<([a-z-]+)/.exec(received)?.[1];
      if (error !== undefined) {
        if (error === "conflict" && sentHandshake) {
          // Servers check the secret before refusing a second connection.
          finish({
            ok: true,
            note: "secret accepted; another connection (a running gateway?) holds the component",
          });
        } else if (error === "not-authorized") {
          finish({ ok: false, problem: "not-authorized", detail: "the server refused the secret" });
        } else if (error === "host-unknown" || error === "improper-addressing") {
          finish({
            ok: false,
            problem: "unknown-domain",
            detail: `the server has no component "${domain}" (${error})`,
          });
        } else {
          finish({
            ok: false,
            problem: "protocol",
            detail: `the server closed the stream: ${error}`,
          });
        }
        return;
      }
      if (sentHandshake) {
        if (/<handshake\s*\/>|<handshake>\s*<\/handshake>/.test(received)) finish({ ok: true });
        return;
      }
      const id = /<stream:stream\b[^>]*\bid=(['"])([^'"]+)\1/.exec(received)?.[2];
      if (id === undefined) return;
      const digest = createHash("sha1")
        .update(id + secret)
        .digest("hex");
      sentHandshake = true;
      socket.write(`<handshake>${digest}</handshake>`);
    });
    socket.once("close", () =>
      finish({ ok: false, problem: "protocol", detail: "the server closed the connection" }),
    );
  });
}
