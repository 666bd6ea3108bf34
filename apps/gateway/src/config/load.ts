/** Reads bitcoim.toml, applies the environment, validates: one `Config` or a `ConfigError`. */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { defaultStateDir } from "@bitcoim/db";
import { parse, TomlError } from "smol-toml";
import { overlayEnv, type RawConfig, SECTIONS, type SectionName } from "./env.js";
import { ConfigError } from "./errors.js";
import { readGateway } from "./gateway.js";
import { type RawSection, readSection } from "./read.js";
import { resolveSecretFiles } from "./secrets.js";
import { readBitcoin, readDatabase, readXmpp } from "./sections.js";
import type { Config } from "./types.js";

export interface LoadConfigOptions {
  /** The TOML file; null to configure from the environment alone. */
  path: string | null;
  env: NodeJS.ProcessEnv;
}

export async function loadConfig({ path, env }: LoadConfigOptions): Promise<Config> {
  const file = path === null ? {} : parseToml(await readText(path), path);
  const raw = await resolveSecretFiles(overlayEnv(file, env));
  const section = (name: SectionName, required: boolean) => {
    const table = raw[name];
    if (table === undefined && required) {
      throw new ConfigError("CONFIG_MISSING", name, `missing section [${name}]`);
    }
    return readSection(name, table ?? {});
  };
  const xmpp = readXmpp(section("xmpp", true));
  const bitcoin = readBitcoin(section("bitcoin", true));
  const database = readDatabase(section("database", false));
  const gateway = readGateway(section("gateway", false), bitcoin.network, env);
  return { xmpp, database, bitcoin, gateway };
}

/**
 * Only where the database is, for `migrate`: the other sections need not be
 * complete. A missing file is fine unless `required`.
 */
export async function loadDatabaseSettings(
  options: LoadConfigOptions & { required: boolean },
): Promise<{ url: string | undefined; stateDir: string }> {
  const { path, env } = options;
  let file: RawConfig = {};
  if (path !== null && (options.required || existsSync(path))) {
    file = parseToml(await readText(path), path);
  }
  const raw = await resolveSecretFiles(overlayEnv(file, env));
  const { url } = readDatabase(readSection("database", raw.database ?? {}));
  const stateDir = readSection("gateway", raw.gateway ?? {}).str("state_dir");
  return { url, stateDir: stateDir ?? env.BITCOIM_STATE_DIR ?? defaultStateDir(env) };
}

/** Parses TOML text into the four sections, refusing unknown ones. */
export function parseToml(text: string, where = "configuration"): RawConfig {
  let table: Record<string, unknown>;
  try {
    table = parse(text, { integersAsBigInt: true });
  } catch (cause) {
    const detail = cause instanceof TomlError ? `line ${cause.line}, column ${cause.column}` : "";
    throw new ConfigError("CONFIG_SYNTAX", "", `${where} is not valid TOML (${detail})`, {
      cause,
    });
  }
  const raw: RawConfig = {};
  for (const [name, value] of Object.entries(table)) {
    const known = SECTIONS.find((s) => s === name);
    if (!known) {
      throw new ConfigError(
        "CONFIG_UNKNOWN_KEY",
        name,
        `unknown section or key "${name}" in ${where}; sections are ${SECTIONS.map((s) => `[${s}]`).join(", ")}`,
      );
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new ConfigError("CONFIG_INVALID", name, `"${name}" must be a section: [${name}]`);
    }
    raw[known] = value as RawSection;
  }
  return raw;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    const reason = (cause as { code?: string }).code ?? String(cause);
    throw new ConfigError(
      "CONFIG_NOT_FOUND",
      "",
      `cannot read the configuration file ${path} (${reason}); pass --config PATH or set BITCOIM_CONFIG`,
      { cause },
    );
  }
}
