/**
 * Environment overrides. The rule: `BITCOIM_<SECTION>_<KEY>`, both upper
 * case, sets `key` of `[section]` (e.g. BITCOIM_XMPP_SECRET → xmpp.secret,
 * BITCOIM_GATEWAY_LOG_LEVEL → gateway.log_level). Lists are comma-separated.
 * `BITCOIM_<SECTION>_<KEY>_FILE` is the `<key>_file` key: the secret is read
 * from that file. An environment value wins over the file's key and over
 * its `_file` twin (and the other way round).
 */
import type { RawSection } from "./read.js";

export const SECTIONS = ["xmpp", "database", "bitcoin", "gateway"] as const;
export type SectionName = (typeof SECTIONS)[number];
export type RawConfig = Partial<Record<SectionName, RawSection>>;

/** The environment variable of a key, for documentation and messages. */
export function envName(section: SectionName, key: string): string {
  return `BITCOIM_${section}_${key}`.toUpperCase();
}

export function overlayEnv(file: RawConfig, env: NodeJS.ProcessEnv): RawConfig {
  const merged: RawConfig = {};
  for (const section of SECTIONS) {
    if (file[section] !== undefined) merged[section] = { ...file[section] };
  }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const section = SECTIONS.find((s) => name.startsWith(`BITCOIM_${s.toUpperCase()}_`));
    if (!section) continue;
    const key = name.slice(`BITCOIM_${section}_`.length).toLowerCase();
    const target = merged[section] ?? {};
    merged[section] = target;
    target[key] = value;
    // The environment's choice replaces the file's, whichever form it took.
    const twin = key.endsWith("_file") ? key.slice(0, -"_file".length) : `${key}_file`;
    if (env[envName(section, twin)] === undefined) delete target[twin];
  }
  return merged;
}
