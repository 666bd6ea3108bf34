import type { DepositAddressType } from "@bitcoim/accounts";
import type { Network } from "@bitcoim/wallet";

/** pino's levels that the configured ones map onto (warning → warn, critical → fatal). */
export type LogLevel = "debug" | "info" | "warn" | "error" | "fatal";

export interface XmppConfig {
  /** The component's JID, which is also its domain (e.g. bitcoin.example.org). */
  jid: string;
  /** The XEP-0114 shared secret. */
  secret: string;
  /** The XMPP server's host, where its component port listens. */
  host: string;
  port: number;
}

export interface DatabaseConfig {
  /** postgres://…, pglite:<dir>; undefined: the embedded default under `stateDir`. */
  url: string | undefined;
}

export interface BitcoinConfig {
  network: Network;
  /** http(s)://host:port of the node's RPC. */
  url: string;
  user?: string;
  password?: string;
  cookieFile?: string;
  wallet: string;
}

export interface GatewayConfig {
  admins: string[];
  logLevel: LogLevel;
  /** Ordered preference; always ends with "en". */
  languages: string[];
  /** Where the embedded database (and other state) lives. */
  stateDir: string;
  confirmations: number;
  pollIntervalMs: number;
  orderLifetimeMs: number;
  /** How old an unfinished send must be before reconciliation settles it. */
  reconcileAfterMs: number;
  /** A loop's run going on this long is stuck: the gateway exits for its service manager to restart it. */
  stuckAfterMs: number;
  lowBalanceWarning: bigint;
  maxFee: bigint;
  maxFeeRate: bigint;
  dustMinimum: bigint;
  addressType: DepositAddressType;
  commandsPerMinute: number;
  /** Block-explorer links: `{address}` / `{txid}` replaced; null for none. */
  explorer: { address: string | null; tx: string | null };
}

export interface Config {
  xmpp: XmppConfig;
  database: DatabaseConfig;
  bitcoin: BitcoinConfig;
  gateway: GatewayConfig;
}
