/**
 * JSON exactly as Bitcoin Core reads and writes it. Number literals are kept
 * as text on the way in (amounts must never pass through a float) and amounts
 * are written raw with 8 decimals on the way out (`1.50000000`, not `1.5`).
 */
import { valueFromAmount } from "./money.js";

/** A JSON number literal as it appeared in the request. */
export class JsonNumber {
  constructor(readonly text: string) {}
  valueOf(): number {
    return Number(this.text);
  }
}

/** An amount in satoshis, written as Core writes amounts. */
export class Amount {
  constructor(readonly sats: bigint) {}
}

/** A JSON number written verbatim (Core's difficulty etc. are plain doubles). */
export type JsonIn = null | boolean | string | JsonNumber | JsonIn[] | { [key: string]: JsonIn };

export class JsonSyntaxError extends Error {
  override readonly name = "JsonSyntaxError";
  readonly code = "JSON_SYNTAX";
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not contain raw control characters.
const STRING_CHUNK = /[^"\\\u0000-\u001f]*/y;

/** Parses JSON text keeping number literals as {@link JsonNumber}. */
export function parseJson(text: string): JsonIn {
  let pos = 0;
  const fail = (): never => {
    throw new JsonSyntaxError(`Unexpected input at ${pos}`);
  };
  const ws = (): void => {
    while (pos < text.length && " \t\n\r".includes(text[pos] as string)) pos++;
  };
  const str = (): string => {
    pos++;
    let out = "";
    for (;;) {
      STRING_CHUNK.lastIndex = pos;
      const m = STRING_CHUNK.exec(text);
      out += m?.[0] ?? "";
      pos = STRING_CHUNK.lastIndex;
      const c = text[pos];
      if (c === '"') {
        pos++;
        return out;
      }
      if (c !== "\\") return fail();
      const e = text[pos + 1];
      pos += 2;
      const simple: Record<string, string> = {
        '"': '"',
        "\\": "\\",
        "/": "/",
        b: "\b",
        f: "\f",
        n: "\n",
        r: "\r",
        t: "\t",
      };
      if (e !== undefined && e in simple) out += simple[e];
      else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(pos, pos + 4))) {
        out += String.fromCharCode(Number.parseInt(text.slice(pos, pos + 4), 16));
        pos += 4;
      } else fail();
    }
  };
  const value = (): JsonIn => {
    ws();
    const c = text[pos];
    if (c === "{") {
      pos++;
      const obj: { [key: string]: JsonIn } = {};
      ws();
      if (text[pos] === "}") {
        pos++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail();
        const key = str();
        ws();
        if (text[pos++] !== ":") fail();
        obj[key] = value();
        ws();
        const sep = text[pos++];
        if (sep === "}") return obj;
        if (sep !== ",") fail();
      }
    }
    if (c === "[") {
      pos++;
      const arr: JsonIn[] = [];
      ws();
      if (text[pos] === "]") {
        pos++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        const sep = text[pos++];
        if (sep === "]") return arr;
        if (sep !== ",") fail();
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (!m) return fail();
    pos = NUMBER.lastIndex;
    return new JsonNumber(m[0]);
  };
  const result = value();
  ws();
  if (pos !== text.length) fail();
  return result;
}

/** Serializes a reply; {@link Amount} becomes `x.xxxxxxxx`, undefined members are left out. */
export function writeJson(value: unknown): string {
  const parts: string[] = [];
  const write = (v: unknown): void => {
    if (v === null || v === undefined) parts.push("null");
    else if (v instanceof Amount) parts.push(valueFromAmount(v.sats));
    else if (v instanceof JsonNumber) parts.push(v.text);
    else if (typeof v === "string") parts.push(JSON.stringify(v));
    else if (typeof v === "number") parts.push(Number.isFinite(v) ? String(v) : "null");
    else if (typeof v === "bigint") parts.push(v.toString());
    else if (typeof v === "boolean") parts.push(v ? "true" : "false");
    else if (Array.isArray(v)) {
      parts.push("[");
      v.forEach((item, i) => {
        if (i > 0) parts.push(",");
        write(item);
      });
      parts.push("]");
    } else if (typeof v === "object") {
      parts.push("{");
      let first = true;
      for (const [key, item] of Object.entries(v)) {
        if (item === undefined) continue;
        if (!first) parts.push(",");
        first = false;
        parts.push(JSON.stringify(key), ":");
        write(item);
      }
      parts.push("}");
    } else parts.push("null");
  };
  write(value);
  return parts.join("");
}
