import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ConfigError, loadConfig } from "../src/config/index.js";
import { xmppConfig } from "../src/xmpp.js";
import { minimalToml, tempDir, tempFile } from "./helpers.js";

async function load(toml: string, env: NodeJS.ProcessEnv = {}) {
  return loadConfig({ path: await tempFile(toml), env });
}

async function refused(toml: string, env: NodeJS.ProcessEnv = {}): Promise<ConfigError> {
  const error = await load(toml, env).then(
    () => undefined,
    (e: unknown) => e as ConfigError,
  );
  if (error?.name !== "ConfigError")
    throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe("configuration", () => {
  it("fills docs/behaviour.md §9's defaults per network", async () => {
    const regtest = await load(minimalToml(), { XDG_STATE_HOME: "/var/state" });
    expect(regtest.xmpp).toEqual({
      jid: "bitcoin.example.org",
      secret: "s3cret",
      host: "localhost",
      port: 5347,
    });
    expect(regtest.bitcoin).toEqual({
      network: "regtest",
      url: "http://127.0.0.1:18443",
      user: "u",
      password: "p",
      wallet: "bitcoim",
    });
    expect(regtest.database.url).toBeUndefined();
    expect(regtest.gateway).toMatchObject({
      admins: [],
      logLevel: "info",
      languages: ["en"],
      stateDir: "/var/state/bitcoim",
      confirmations: 1,
      pollIntervalMs: 1000,
      orderLifetimeMs: 600_000,
      reconcileAfterMs: 600_000,
      lowBalanceWarning: 10_000n,
      maxFee: 50_000n,
      maxFeeRate: 200n,
      dustMinimum: 546n,
      addressType: "bech32",
      commandsPerMinute: 30,
      explorer: { address: null, tx: null },
    });
    const main = await load(minimalToml().replace('"regtest"', '"mainnet"'));
    expect(main.bitcoin.url).toBe("http://127.0.0.1:8332");
    expect(main.gateway).toMatchObject({ confirmations: 3, pollIntervalMs: 10_000 });
    expect(main.gateway.explorer).toEqual({
      address: "https://mempool.space/address/{address}",
      tx: "https://mempool.space/tx/{txid}",
    });
    const own = await load(
      minimalToml({
        gateway: 'explorer_address_url = "https://x.org/a/{address}"\nexplorer_tx_url = ""',
      }).replace('"regtest"', '"signet"'),
    );
    expect(own.gateway.explorer).toEqual({ address: "https://x.org/a/{address}", tx: null });
    // What the XMPP side is given: the network's default, the operator's own, or none at all.
    expect(xmppConfig(main).explorerUrl).toBe("https://mempool.space/address/{address}");
    expect(xmppConfig(own).explorerUrl).toBe("https://x.org/a/{address}");
    const none = await load(
      minimalToml({ gateway: 'explorer_address_url = ""' }).replace('"regtest"', '"mainnet"'),
    );
    expect(xmppConfig(none).explorerUrl).toBeUndefined();
    expect(xmppConfig(main).explorerTxUrl).toBe("https://mempool.space/tx/{txid}");
    expect(xmppConfig(own).explorerTxUrl).toBeUndefined();
    for (const [network, port] of [
      ["testnet", 18332],
      ["signet", 38332],
    ] as const) {
      const c = await load(minimalToml().replace('"regtest"', `"${network}"`));
      expect(c.bitcoin.url).toBe(`http://127.0.0.1:${port}`);
    }
  });

  it("maps log levels onto pino's and keeps English last", async () => {
    const c = await load(
      minimalToml({ gateway: 'log_level = "warning"\nlanguages = ["de", "en", "pt-BR"]' }),
    );
    expect(c.gateway.logLevel).toBe("warn");
    expect(c.gateway.languages).toEqual(["de", "pt-BR", "en"]);
    const critical = await load(minimalToml({ gateway: 'log_level = "critical"' }));
    expect(critical.gateway.logLevel).toBe("fatal");
  });

  it("parses amounts exactly and refuses floats", async () => {
    const c = await load(
      minimalToml({ gateway: 'low_balance_warning = "0.00000001"\nmax_fee_sat = 123456789012' }),
    );
    expect(c.gateway.lowBalanceWarning).toBe(1n);
    expect(c.gateway.maxFee).toBe(123_456_789_012n);
    const float = await refused(minimalToml({ gateway: "low_balance_warning = 0.0001" }));
    expect(float).toMatchObject({ code: "CONFIG_INVALID", key: "gateway.low_balance_warning" });
    expect(float.message).toMatch(/as a string/);
    const precise = await refused(minimalToml({ gateway: 'low_balance_warning = "0.000000001"' }));
    expect(precise.key).toBe("gateway.low_balance_warning");
    const fractional = await refused(minimalToml({ gateway: "dust_minimum_sat = 546.5" }));
    expect(fractional).toMatchObject({ code: "CONFIG_INVALID", key: "gateway.dust_minimum_sat" });
  });

  it("reads reconcile_after in seconds, and refuses zero or a fraction", async () => {
    const c = await load(minimalToml({ gateway: "reconcile_after = 5" }));
    expect(c.gateway.reconcileAfterMs).toBe(5_000);
    for (const bad of ["reconcile_after = 0", "reconcile_after = 1.5", "reconcile_after = -5"]) {
      const error = await refused(minimalToml({ gateway: bad }));
      expect(error).toMatchObject({ code: "CONFIG_INVALID", key: "gateway.reconcile_after" });
    }
  });

  it("lets the environment override any key, lists comma-separated", async () => {
    const c = await load(minimalToml(), {
      BITCOIM_XMPP_SECRET: "from-env",
      BITCOIM_XMPP_PORT: "5348",
      BITCOIM_BITCOIN_NETWORK: "signet",
      BITCOIM_GATEWAY_ADMINS: "a@example.org, B@Example.org",
      BITCOIM_GATEWAY_CONFIRMATIONS: "6",
      BITCOIM_DATABASE_URL: "pglite:memory",
    });
    expect(c.xmpp).toMatchObject({ secret: "from-env", port: 5348 });
    expect(c.bitcoin).toMatchObject({ network: "signet", url: "http://127.0.0.1:38332" });
    expect(c.gateway.admins).toEqual(["a@example.org", "b@example.org"]);
    expect(c.gateway.confirmations).toBe(6);
    expect(c.database.url).toBe("pglite:memory");
  });

  it("reads secrets from files, by key or by environment, and refuses both at once", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "secret"), "from-file\n");
    await writeFile(join(dir, "rpc"), "rpc-pass\n");
    const toml = minimalToml()
      .replace('secret = "s3cret"', `secret_file = "${join(dir, "secret")}"`)
      .replace('password = "p"', "");
    const c = await load(toml, { BITCOIM_BITCOIN_PASSWORD_FILE: join(dir, "rpc") });
    expect(c.xmpp.secret).toBe("from-file");
    expect(c.bitcoin.password).toBe("rpc-pass");
    // The environment's plain value replaces the file's secret_file.
    expect(
      (await load(toml, { BITCOIM_XMPP_SECRET: "env", BITCOIM_BITCOIN_PASSWORD: "x" })).xmpp.secret,
    ).toBe("env");
    const both = await refused(minimalToml({ xmpp: `secret_file = "${join(dir, "secret")}"` }));
    expect(both).toMatchObject({ code: "CONFIG_CONFLICT", key: "xmpp.secret_file" });
    const missing = await refused(toml, { BITCOIM_BITCOIN_PASSWORD_FILE: join(dir, "nope") });
    expect(missing).toMatchObject({ code: "CONFIG_SECRET_FILE", key: "bitcoin.password_file" });
  });

  it("names missing sections and keys", async () => {
    const noXmpp = await refused(minimalToml().replace(/\[xmpp\][^[]*/, ""));
    expect(noXmpp).toMatchObject({ code: "CONFIG_MISSING", key: "xmpp" });
    expect(noXmpp.message).toContain("[xmpp]");
    const noNetwork = await refused(minimalToml().replace('network = "regtest"', ""));
    expect(noNetwork).toMatchObject({ code: "CONFIG_MISSING", key: "bitcoin.network" });
    expect(noNetwork.message).toMatch(/mainnet, testnet, signet, regtest/);
    const noSecret = await refused(minimalToml().replace('secret = "s3cret"', ""));
    expect(noSecret).toMatchObject({ code: "CONFIG_MISSING", key: "xmpp.secret" });
    const noPassword = await refused(minimalToml().replace('password = "p"', ""));
    expect(noPassword).toMatchObject({ code: "CONFIG_MISSING", key: "bitcoin.password" });
    const file = await loadConfig({ path: "/nonexistent/bitcoim.toml", env: {} }).catch(
      (e: ConfigError) => e,
    );
    expect(file).toMatchObject({ code: "CONFIG_NOT_FOUND" });
  });

  it("refuses bad values naming the key and the expected form", async () => {
    const cases: [string, string, RegExp][] = [
      [minimalToml().replace('"regtest"', '"testnet3"'), "bitcoin.network", /one of mainnet/],
      [minimalToml({ xmpp: "port = 70000" }), "xmpp.port", /1 to 65535/],
      [minimalToml({ xmpp: 'port = "x"' }), "xmpp.port", /whole number/],
      [
        minimalToml().replace('jid = "bitcoin.example.org"', 'jid = "me@example.org"'),
        "xmpp.jid",
        /bare domain/,
      ],
      [
        minimalToml({ gateway: 'log_level = "verbose"' }),
        "gateway.log_level",
        /debug, info, warning, error, critical/,
      ],
      [minimalToml({ gateway: 'admins = ["not a jid"]' }), "gateway.admins", /bare JIDs/],
      [minimalToml({ gateway: 'address_type = "p2pk"' }), "gateway.address_type", /bech32/],
      [
        minimalToml({ gateway: 'explorer_tx_url = "https://x.org/tx/"' }),
        "gateway.explorer_tx_url",
        /\{txid\}/,
      ],
      [
        minimalToml({ gateway: 'explorer_address_url = "ftp://x/{address}"' }),
        "gateway.explorer_address_url",
        /http\(s\) URL containing \{address\}/,
      ],
      [minimalToml({ bitcoin: 'url = "http://h:1/wallet/x"' }), "bitcoin.url", /no path/],
    ];
    for (const [toml, key, message] of cases) {
      const error = await refused(toml);
      expect(error.key).toBe(key);
      expect(error.message).toMatch(message);
    }
  });

  it("refuses unknown keys and sections, and conflicting ones", async () => {
    expect(await refused(minimalToml({ xmpp: 'secrte = "x"' }))).toMatchObject({
      code: "CONFIG_UNKNOWN_KEY",
      key: "xmpp.secrte",
    });
    expect(await refused(`${minimalToml()}\n[bitcion]\nx = 1`)).toMatchObject({
      code: "CONFIG_UNKNOWN_KEY",
      key: "bitcion",
    });
    expect(await refused(minimalToml(), { BITCOIM_GATEWAY_COLOUR: "red" })).toMatchObject({
      code: "CONFIG_UNKNOWN_KEY",
      key: "gateway.colour",
    });
    expect(await refused(minimalToml({ bitcoin: 'url = "http://h:1"\nport = 2' }))).toMatchObject({
      code: "CONFIG_CONFLICT",
      key: "bitcoin.url",
    });
    expect(await refused(minimalToml({ bitcoin: 'cookie_file = "/x/.cookie"' }))).toMatchObject({
      code: "CONFIG_CONFLICT",
      key: "bitcoin.cookie_file",
    });
    expect(await refused("[xmpp\njid=")).toMatchObject({ code: "CONFIG_SYNTAX" });
  });

  it("takes a cookie file instead of user and password, and an explicit url", async () => {
    const c = await load(
      minimalToml()
        .replace('user = "u"', 'cookie_file = "/var/lib/bitcoind/regtest/.cookie"')
        .replace('password = "p"', 'url = "https://node.example.org:8443/"'),
    );
    expect(c.bitcoin).toEqual({
      network: "regtest",
      url: "https://node.example.org:8443",
      cookieFile: "/var/lib/bitcoind/regtest/.cookie",
      wallet: "bitcoim",
    });
  });

  it("parses the documented example file", async () => {
    const c = await loadConfig({
      path: new URL("../bitcoim.example.toml", import.meta.url).pathname,
      env: { BITCOIM_XMPP_SECRET: "x", BITCOIM_BITCOIN_PASSWORD: "y" },
    });
    expect(c.bitcoin).toMatchObject({
      network: "testnet",
      url: "http://127.0.0.1:18332",
      wallet: "bitcoim",
    });
    expect(c.gateway).toMatchObject({
      languages: ["de", "fr", "en"],
      admins: ["admin@example.org"],
    });
    expect(c.database.url).toMatch(/^postgres:/);
  });
});
