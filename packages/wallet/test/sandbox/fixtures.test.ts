/**
 * Replays every recorded call to a real Bitcoin Core v30 (both fixture files,
 * in order) against the sandbox and compares HTTP status, error code and
 * message, and the shape of results (keys and JSON types, recursively).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { learn, lengths, shape, substitute } from "./shape.js";

/** The recordings, vendored from the project's shared fixtures (see README.md there). */
const FIXTURES = fileURLToPath(new URL("./fixtures", import.meta.url));

interface Recorded {
  seq: number;
  method: string;
  params: unknown;
  url?: string;
  path?: string;
  auth?: string | null;
  request_body: string;
  http_status: number;
  raw_response: string;
  response_headers?: Record<string, string>;
  note?: string;
}

/**
 * Records the sandbox does not match, and why. Keep this small.
 * Key: "<file>#<seq>", value: which comparison is skipped.
 */
const ALLOWED: Record<string, { skip: "lengths"; why: string }> = {
  // Empty: every recorded call currently matches. An entry would look like
  // "bitcoin-core-30.0-regtest-2.json#24": { skip: "lengths", why: "…" }.
};

function load(file: string): Recorded[] {
  const data = JSON.parse(readFileSync(`${FIXTURES}/${file}`, "utf8")) as
    | Recorded[]
    | { calls: Recorded[] };
  return Array.isArray(data) ? data : data.calls;
}

function replay(file: string): void {
  describe(file, () => {
    let sandbox: Sandbox;
    const map = new Map<string, string>();
    beforeAll(async () => {
      sandbox = await startSandbox({ user: "u", password: "p" });
    });
    afterAll(async () => {
      await sandbox.close();
    });

    for (const rec of load(file)) {
      it(`#${rec.seq} ${rec.method} ${rec.note ?? ""}`, async () => {
        const path = rec.path ?? new URL(rec.url ?? "http://x/").pathname;
        const auth = rec.auth === undefined ? "u:p" : rec.auth;
        const headers: Record<string, string> = { "Content-Type": "application/json" };
        if (auth !== null) headers.Authorization = `Basic ${Buffer.from(auth).toString("base64")}`;
        const res = await fetch(`${sandbox.url}${substitute(path, map)}`, {
          method: "POST",
          headers,
          body: substitute(rec.request_body, map),
        });
        const text = await res.text();
        expect(res.status, text).toBe(rec.http_status);
        if (rec.raw_response === "") {
          expect(text).toBe("");
          const expectedAuth = rec.response_headers?.["WWW-Authenticate"];
          if (expectedAuth) expect(res.headers.get("www-authenticate")).toBe(expectedAuth);
          return;
        }
        expect(text.endsWith("\n")).toBe(true);
        const recorded = JSON.parse(rec.raw_response) as unknown;
        const ours = JSON.parse(text) as unknown;
        compare(recorded, ours, `${file}#${rec.seq}`);
        if (
          rec.method === "generatetoaddress" ||
          typeof (recorded as { result?: unknown }).result === "string"
        ) {
          learn(
            (recorded as { result: unknown }).result,
            (ours as { result: unknown }).result,
            map,
          );
        }
      });
    }
  });
}

function compare(recorded: unknown, ours: unknown, key: string): void {
  const replies = Array.isArray(recorded) ? recorded : [recorded];
  const got = Array.isArray(ours) ? ours : [ours];
  expect(got.length).toBe(replies.length);
  replies.forEach((r: Record<string, unknown>, i) => {
    const o = got[i] as Record<string, unknown>;
    expect(Object.keys(o).sort()).toEqual(Object.keys(r).sort());
    if (r.error) {
      const e = r.error as { code: number; message: string };
      const mine = o.error as { code: number; message: string };
      expect(mine.code).toBe(e.code);
      const pattern = new RegExp(
        `^${e.message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace("<datadir>", ".+")}$`,
      );
      expect(mine.message).toMatch(pattern);
    }
    expect(shape(o.result)).toBe(shape(r.result));
    if (ALLOWED[key]?.skip !== "lengths") expect(lengths(o.result)).toEqual(lengths(r.result));
  });
}

replay("bitcoin-core-30.0-regtest.json");
replay("bitcoin-core-30.0-regtest-2.json");
