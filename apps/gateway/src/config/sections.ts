/** The [xmpp], [database] and [bitcoin] sections (docs/behaviour.md §9). */
import { NETWORKS, type Network } from "@bitcoim/wallet";
import { ConfigError } from "./errors.js";
import type { SectionReader } from "./read.js";
import type { BitcoinConfig, DatabaseConfig, XmppConfig } from "./types.js";

const PORT = { min: 1, max: 65_535 };

/** Bitcoin Core's default RPC port per network. */
export const DEFAULT_RPC_PORT: Readonly<Record<Network, number>> = {
  mainnet: 8332,
  testnet: 18332,
  signet: 38332,
  regtest: 18443,
};

export function readXmpp(s: SectionReader): XmppConfig {
  const jid = s.required("jid", "the component's JID, e.g. bitcoin.example.org");
  if (/[@/\s]/.test(jid) || !jid.includes(".")) {
    throw new ConfigError(
      "CONFIG_INVALID",
      "xmpp.jid",
      `xmpp.jid must be a bare domain such as bitcoin.example.org (no "@", "/" or spaces); got "${jid}"`,
    );
  }
  const config = {
    jid: jid.toLowerCase(),
    secret: s.required(
      "secret",
      "the component secret shared with the XMPP server (or secret_file)",
    ),
    host: s.str("host") ?? "localhost",
    port: s.int("port", PORT) ?? 5347,
  };
  s.done();
  return config;
}

export function readDatabase(s: SectionReader): DatabaseConfig {
  const url = s.str("url");
  s.done();
  return { url: url === "" ? undefined : url };
}

export function readBitcoin(s: SectionReader): BitcoinConfig {
  if (!s.has("network")) {
    throw new ConfigError(
      "CONFIG_MISSING",
      "bitcoin.network",
      `missing bitcoin.network in [bitcoin]: one of ${NETWORKS.join(", ")} (checked against the node)`,
    );
  }
  const network = s.oneOf("network", NETWORKS) as Network;
  const url = s.str("url");
  const host = s.str("host");
  const port = s.int("port", PORT);
  const protocol = s.oneOf("protocol", ["http", "https"] as const);
  if (url !== undefined && (host !== undefined || port !== undefined || protocol !== undefined)) {
    throw new ConfigError(
      "CONFIG_CONFLICT",
      "bitcoin.url",
      "set either bitcoin.url or bitcoin.host/port/protocol, not both",
    );
  }
  if (url !== undefined && !/^https?:\/\/[^/]+\/?$/.test(url)) {
    throw new ConfigError(
      "CONFIG_INVALID",
      "bitcoin.url",
      `bitcoin.url must be http(s)://host:port with no path; got "${url}"`,
    );
  }
  const user = s.str("user");
  const password = s.str("password");
  const cookieFile = s.str("cookie_file");
  const wallet = s.str("wallet") ?? "bitcoim";
  s.done();
  if (cookieFile !== undefined && (user !== undefined || password !== undefined)) {
    throw new ConfigError(
      "CONFIG_CONFLICT",
      "bitcoin.cookie_file",
      "set either bitcoin.cookie_file or bitcoin.user and bitcoin.password, not both",
    );
  }
  const credentials =
    cookieFile !== undefined
      ? { cookieFile }
      : user !== undefined && password !== undefined
        ? { user, password }
        : missingCredentials(user === undefined ? "bitcoin.user" : "bitcoin.password");
  const base =
    url?.replace(/\/$/, "") ??
    hostUrl(protocol ?? "http", host ?? "127.0.0.1", port ?? DEFAULT_RPC_PORT[network]);
  return { network, url: base, wallet, ...credentials };
}

function missingCredentials(key: string): never {
  throw new ConfigError(
    "CONFIG_MISSING",
    key,
    `missing ${key} in [bitcoin]: the node's RPC user and password (or password_file), or cookie_file`,
  );
}

function hostUrl(protocol: string, host: string, port: number): string {
  const bracketed = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `${protocol}://${bracketed}:${port}`;
}
