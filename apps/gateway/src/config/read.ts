/**
 * Typed readers over one raw section (TOML values, or strings from the
 * environment). Each names `section.key` and the expected form when it
 * refuses a value, and records the keys it read so `done()` can refuse the
 * ones nobody knows (typos).
 */
import { parseAmount } from "@bitcoim/wallet";
import { ConfigError } from "./errors.js";

export type RawSection = Record<string, unknown>;

export interface SectionReader {
  has(key: string): boolean;
  /** Set, to "" (turns an optional default off). */
  isEmpty(key: string): boolean;
  str(key: string): string | undefined;
  required(key: string, hint: string): string;
  int(key: string, range: { min: number; max: number }): number | undefined;
  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined;
  /** Integer satoshis, exact. */
  sats(key: string): bigint | undefined;
  /** A BTC amount written as a string ("0.0001"), parsed exactly. */
  btc(key: string): bigint | undefined;
  list(key: string): string[] | undefined;
  /** Refuses keys that were not read. */
  done(): void;
}

export function readSection(name: string, raw: RawSection): SectionReader {
  const known = new Set<string>();
  const key = (k: string) => `${name}.${k}`;
  const invalid = (k: string, expected: string, value: unknown) =>
    new ConfigError(
      "CONFIG_INVALID",
      key(k),
      `${key(k)} must be ${expected}; got ${JSON.stringify(String(value))}`,
    );
  const get = (k: string): unknown => {
    known.add(k);
    const value = raw[k];
    return value === "" ? undefined : value;
  };

  const reader: SectionReader = {
    has: (k) => get(k) !== undefined,
    isEmpty: (k) => {
      known.add(k);
      return raw[k] === "";
    },
    str(k) {
      const value = get(k);
      if (value === undefined) return undefined;
      if (typeof value !== "string") throw invalid(k, "a string", value);
      return value.trim();
    },
    required(k, hint) {
      const value = reader.str(k);
      if (value === undefined || value === "") {
        throw new ConfigError("CONFIG_MISSING", key(k), `missing ${key(k)} in [${name}]: ${hint}`);
      }
      return value;
    },
    int(k, { min, max }) {
      const value = get(k);
      if (value === undefined) return undefined;
      const text = String(value).trim();
      const expected = `a whole number from ${min} to ${max}`;
      if (typeof value === "number" || !/^-?\d+$/.test(text)) throw invalid(k, expected, value);
      const n = Number(text);
      if (n < min || n > max) throw invalid(k, expected, value);
      return n;
    },
    oneOf(k, values) {
      const value = reader.str(k);
      if (value === undefined) return undefined;
      const found = values.find((v) => v === value.toLowerCase());
      if (!found) throw invalid(k, `one of ${values.join(", ")}`, value);
      return found;
    },
    sats(k) {
      const value = get(k);
      if (value === undefined) return undefined;
      const text = String(value).trim();
      if (typeof value === "number" || !/^\d+$/.test(text)) {
        throw invalid(k, "a whole number of satoshis, e.g. 546", value);
      }
      return BigInt(text);
    },
    btc(k) {
      const value = get(k);
      if (value === undefined) return undefined;
      // A TOML float is already rounded: refuse it rather than guess.
      if (typeof value !== "string") {
        throw invalid(k, 'a BTC amount written as a string, e.g. "0.0001"', value);
      }
      try {
        return parseAmount(value.trim(), { allowZero: true });
      } catch (cause) {
        throw new ConfigError(
          "CONFIG_INVALID",
          key(k),
          `${key(k)} must be a BTC amount such as "0.0001" (at most 8 decimals); got "${value}"`,
          { cause },
        );
      }
    },
    list(k) {
      const value = get(k);
      if (value === undefined) return undefined;
      // From the environment a list is comma-separated.
      const items = typeof value === "string" ? value.split(",") : value;
      if (!Array.isArray(items) || items.some((i) => typeof i !== "string")) {
        throw invalid(k, 'a list of strings, e.g. ["a", "b"] (comma-separated in env)', value);
      }
      return items.map((i: string) => i.trim()).filter((i) => i !== "");
    },
    done() {
      for (const k of Object.keys(raw)) {
        if (!known.has(k)) {
          throw new ConfigError(
            "CONFIG_UNKNOWN_KEY",
            key(k),
            `unknown key ${key(k)}; known keys of [${name}]: ${[...known].sort().join(", ")}`,
          );
        }
      }
    },
  };
  return reader;
}
