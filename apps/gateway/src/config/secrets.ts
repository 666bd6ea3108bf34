/** Secrets written as `<key>_file`: read the file, keep its first line. */
import { readFile } from "node:fs/promises";
import type { RawConfig, SectionName } from "./env.js";
import { ConfigError } from "./errors.js";

/** The keys that may be given as a file instead (they hold passwords). */
export const SECRET_KEYS: readonly [SectionName, string][] = [
  ["xmpp", "secret"],
  ["bitcoin", "password"],
  ["database", "url"],
];

export async function resolveSecretFiles(raw: RawConfig): Promise<RawConfig> {
  for (const [section, key] of SECRET_KEYS) {
    const table = raw[section];
    const path = table?.[`${key}_file`];
    if (table === undefined || path === undefined) continue;
    const name = `${section}.${key}_file`;
    if (table[key] !== undefined) {
      throw new ConfigError(
        "CONFIG_CONFLICT",
        name,
        `set either ${section}.${key} or ${name}, not both`,
      );
    }
    if (typeof path !== "string" || path.trim() === "") {
      throw new ConfigError("CONFIG_INVALID", name, `${name} must be the path of a file`);
    }
    let text: string;
    try {
      text = await readFile(path.trim(), "utf8");
    } catch (cause) {
      const reason = (cause as { code?: string }).code ?? String(cause);
      throw new ConfigError(
        "CONFIG_SECRET_FILE",
        name,
        `cannot read ${name} "${path}" (${reason})`,
        {
          cause,
        },
      );
    }
    const secret = text.split(/\r?\n/)[0]?.trim() ?? "";
    if (secret === "") {
      throw new ConfigError("CONFIG_SECRET_FILE", name, `${name} "${path}" is empty`);
    }
    table[key] = secret;
    delete table[`${key}_file`];
  }
  return raw;
}
