/**
 * Checked readers for JSON-RPC results. Every field we use is read through
 * one of these, so a reply of the wrong shape becomes a `NODE_MALFORMED_REPLY`
 * naming the method and the field, never a crash or an `undefined` that
 * travels on. Unknown extra fields are ignored (Core adds fields over time).
 */
import { AmountError, type Sats, satsFromBtc } from "../amount.js";
import { BitcoinNodeError } from "./errors.js";

export type Json = Readonly<Record<string, unknown>>;

/** Reads fields of one object of a reply; `where` names it in errors. */
export interface Reader {
  readonly raw: Json;
  str(key: string): string;
  optStr(key: string): string | undefined;
  int(key: string): number;
  optInt(key: string): number | undefined;
  num(key: string): number;
  bool(key: string): boolean;
  optBool(key: string): boolean | undefined;
  sats(key: string): Sats;
  optSats(key: string): Sats | undefined;
  strings(key: string): string[];
  obj(key: string): Reader;
  optObj(key: string): Reader | undefined;
  list(key: string): Reader[];
}

export function malformed(where: string, what: string, cause?: unknown): BitcoinNodeError {
  return new BitcoinNodeError(
    "NODE_MALFORMED_REPLY",
    `Malformed reply: ${where} ${what}`,
    cause === undefined ? {} : { cause },
  );
}

export function readObject(value: unknown, where: string): Reader {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw malformed(where, `is not an object (${describe(value)})`);
  }
  const raw = value as Json;
  const at = (key: string) => `${where}.${key}`;
  const need = <T>(key: string, v: T | undefined, kind: string): T => {
    if (v === undefined) throw malformed(at(key), `is not ${kind} (${describe(raw[key])})`);
    return v;
  };
  const optional = <T>(key: string, read: (key: string) => T): T | undefined =>
    raw[key] === undefined || raw[key] === null ? undefined : read(key);
  const reader: Reader = {
    raw,
    str: (key) =>
      need(key, typeof raw[key] === "string" ? (raw[key] as string) : undefined, "a string"),
    optStr: (key) => optional(key, reader.str),
    int: (key) => need(key, asInt(raw[key]), "an integer"),
    optInt: (key) => optional(key, reader.int),
    num: (key) => need(key, asNumber(raw[key]), "a number"),
    bool: (key) =>
      need(key, typeof raw[key] === "boolean" ? (raw[key] as boolean) : undefined, "a boolean"),
    optBool: (key) => optional(key, reader.bool),
    sats: (key) => toSats(raw[key], at(key)),
    optSats: (key) => optional(key, reader.sats),
    strings: (key) => {
      const list = raw[key];
      if (!Array.isArray(list) || !list.every((s) => typeof s === "string")) {
        throw malformed(at(key), `is not a list of strings (${describe(list)})`);
      }
      return [...list] as string[];
    },
    obj: (key) => readObject(raw[key], at(key)),
    optObj: (key) => optional(key, reader.obj),
    list: (key) =>
      readList(raw[key], at(key)).map((item, i) => readObject(item, `${at(key)}[${i}]`)),
  };
  return reader;
}

export function readList(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw malformed(where, `is not a list (${describe(value)})`);
  return value;
}

export function readString(value: unknown, where: string): string {
  if (typeof value !== "string" || value === "")
    throw malformed(where, `is not a string (${describe(value)})`);
  return value;
}

/** A 32-byte hash in hex (txid, block hash), as Core prints it. */
export function readHash(value: unknown, where: string): string {
  if (typeof value !== "string" || !/^[0-9a-f]{64}$/.test(value)) {
    throw malformed(where, `is not a 64-hex-digit hash (${describe(value)})`);
  }
  return value;
}

/** json-bigint hands over short numbers as numbers and long ones as strings: both exact here. */
function toSats(value: unknown, where: string): Sats {
  if (typeof value !== "number" && typeof value !== "string") {
    throw malformed(where, `is not an amount (${describe(value)})`);
  }
  try {
    return satsFromBtc(value);
  } catch (error) {
    if (error instanceof AmountError)
      throw malformed(where, `is not an exact BTC amount (${value})`, error);
    throw error;
  }
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  // json-bigint: more than 15 characters arrives as a string (e.g. a long difficulty).
  if (typeof value === "string" && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value)) return Number(value);
  return undefined;
}

function asInt(value: unknown): number | undefined {
  const n = asNumber(value);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
