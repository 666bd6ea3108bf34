/** The [gateway] section: the program itself, with docs/behaviour.md §9's defaults. */
import type { DepositAddressType } from "@bitcoim/accounts";
import { defaultStateDir } from "@bitcoim/db";
import type { Network } from "@bitcoim/wallet";
import { ConfigError } from "./errors.js";
import type { SectionReader } from "./read.js";
import type { GatewayConfig, LogLevel } from "./types.js";

/** The levels operators write, onto pino's (docs/behaviour.md §9). */
export const LOG_LEVELS: Readonly<Record<string, LogLevel>> = {
  debug: "debug",
  info: "info",
  warning: "warn",
  error: "error",
  critical: "fatal",
};

const ADDRESS_TYPES: readonly DepositAddressType[] = ["bech32", "bech32m", "p2sh-segwit", "legacy"];

/** mempool.space's base per network; regtest has no public explorer. */
const EXPLORER_BASE: Readonly<Record<Network, string | null>> = {
  mainnet: "https://mempool.space",
  testnet: "https://mempool.space/testnet",
  signet: "https://mempool.space/signet",
  regtest: null,
};

/** Where to look an address (`{address}`) and a transaction (`{txid}`) up, per network. */
export function defaultExplorer(network: Network): { address: string | null; tx: string | null } {
  const base = EXPLORER_BASE[network];
  return base === null
    ? { address: null, tx: null }
    : { address: `${base}/address/{address}`, tx: `${base}/tx/{txid}` };
}

const DAY_S = 86_400;

export function readGateway(
  s: SectionReader,
  network: Network,
  env: NodeJS.ProcessEnv,
): GatewayConfig {
  const level = s.oneOf("log_level", Object.keys(LOG_LEVELS)) ?? "info";
  const defaults = defaultExplorer(network);
  const config: GatewayConfig = {
    admins: (s.list("admins") ?? []).map((jid) => checkJid(jid)),
    logLevel: LOG_LEVELS[level] ?? "info",
    languages: languages(s.list("languages") ?? []),
    stateDir: s.str("state_dir") ?? env.BITCOIM_STATE_DIR ?? defaultStateDir(env),
    confirmations: s.int("confirmations", { min: 1, max: 1000 }) ?? (network === "mainnet" ? 3 : 1),
    pollIntervalMs:
      1000 * (s.int("poll_interval", { min: 1, max: DAY_S }) ?? (network === "regtest" ? 1 : 10)),
    orderLifetimeMs: 1000 * (s.int("order_lifetime", { min: 10, max: DAY_S }) ?? 600),
    reconcileAfterMs: 1000 * (s.int("reconcile_after", { min: 1, max: DAY_S }) ?? 600),
    stuckAfterMs: 1000 * (s.int("stuck_after", { min: 10, max: DAY_S }) ?? 300),
    lowBalanceWarning: s.btc("low_balance_warning") ?? 10_000n,
    maxFee: s.sats("max_fee_sat") ?? 50_000n,
    maxFeeRate: s.sats("max_fee_rate") ?? 200n,
    dustMinimum: s.sats("dust_minimum_sat") ?? 546n,
    addressType: s.oneOf("address_type", ADDRESS_TYPES) ?? "bech32",
    commandsPerMinute: s.int("commands_per_minute", { min: 1, max: 10_000 }) ?? 30,
    explorer: {
      address: template(s, "explorer_address_url", "{address}", defaults.address),
      tx: template(s, "explorer_tx_url", "{txid}", defaults.tx),
    },
  };
  s.done();
  if (config.maxFeeRate === 0n) {
    throw new ConfigError(
      "CONFIG_INVALID",
      "gateway.max_fee_rate",
      "gateway.max_fee_rate must be at least 1 sat/vB",
    );
  }
  return config;
}

/** A URL template with `placeholder`; "" turns the default off (null). */
function template(
  s: SectionReader,
  key: string,
  placeholder: string,
  fallback: string | null,
): string | null {
  if (s.isEmpty(key)) return null;
  const raw = s.str(key);
  if (raw === undefined) return fallback;
  if (!/^https?:\/\//.test(raw) || !raw.includes(placeholder)) {
    throw new ConfigError(
      "CONFIG_INVALID",
      `gateway.${key}`,
      `gateway.${key} must be an http(s) URL containing ${placeholder}, or "" for none; got "${raw}"`,
    );
  }
  return raw;
}

/** Ordered, deduplicated, English always last as the final fallback. */
function languages(list: string[]): string[] {
  const tags = list.map((tag) => {
    if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/i.test(tag)) {
      throw new ConfigError(
        "CONFIG_INVALID",
        "gateway.languages",
        `gateway.languages must hold language tags such as "de" or "pt-BR"; got "${tag}"`,
      );
    }
    return tag;
  });
  return [...new Set([...tags.filter((t) => t.toLowerCase() !== "en"), "en"])];
}

function checkJid(jid: string): string {
  if (!/^[^@/\s]+@[^@/\s]+$/.test(jid)) {
    throw new ConfigError(
      "CONFIG_INVALID",
      "gateway.admins",
      `gateway.admins must hold bare JIDs such as "alice@example.org"; got "${jid}"`,
    );
  }
  return jid.toLowerCase();
}
