/** The checks `bitcoim doctor` runs; each says what is wrong and how to fix it. */
import { DatabaseError, openDatabase } from "@bitcoim/db";
import type { Config } from "../config/index.js";
import { connectNode, MIN_CORE_VERSION, networkOfChain, nodeAdvice } from "../lifecycle/bitcoin.js";
import { tryHandshake } from "./handshake.js";

export interface CheckResult {
  name: string;
  ok: boolean;
  /** What was found, or what is wrong and how to fix it. */
  detail: string;
}

export async function checkXmpp(config: Config): Promise<CheckResult> {
  const { host, port, jid, secret } = config.xmpp;
  const name = "XMPP server";
  const result = await tryHandshake({ host, port, domain: jid, secret });
  if (result.ok) {
    return {
      name,
      ok: true,
      detail: `${host}:${port} accepts component "${jid}"${result.note ? ` (${result.note})` : ""}`,
    };
  }
  const fix: Record<typeof result.problem, string> = {
    unreachable: `is the XMPP server running with a component port on ${port}? Check xmpp.host and xmpp.port`,
    "unknown-domain": `declare the component "${jid}" on the server, or fix xmpp.jid`,
    "not-authorized": "xmpp.secret differs from the component secret in the server's configuration",
    protocol: "is this port the server's component port (XEP-0114), not its client or server port?",
  };
  return {
    name,
    ok: false,
    detail: `${host}:${port}: ${result.detail}; ${fix[result.problem]} (see docs/xmpp-servers.md)`,
  };
}

export async function checkDatabase(config: Config): Promise<CheckResult> {
  const name = "database";
  try {
    const database = await openDatabase(config.database.url, {
      migrate: false,
      stateDir: config.gateway.stateDir,
      connectTimeout: 5,
    });
    await database.close();
    return { name, ok: true, detail: `${database.location}, schema ${database.migrations.latest}` };
  } catch (error) {
    if (!(error instanceof DatabaseError)) throw error;
    return { name, ok: false, detail: `${databaseAdvice(error)} [${error.code}]` };
  }
}

function databaseAdvice(error: DatabaseError): string {
  switch (error.code) {
    case "DB_SCHEMA_OUTDATED":
      return `pending migrations: ${error.message}`;
    case "DB_SCHEMA_TOO_NEW":
      return `${error.message}; this bitcoim is older than the database: upgrade it`;
    default:
      return error.message;
  }
}

/** Reachable and new enough, on the configured network, with the wallet loaded. */
export async function checkBitcoin(config: Config): Promise<CheckResult[]> {
  const { bitcoin } = config;
  const root = connectNode(bitcoin);
  const results: CheckResult[] = [];
  try {
    const info = await root.checkVersion(MIN_CORE_VERSION);
    results.push({
      name: "Bitcoin node",
      ok: true,
      detail: `${info.subversion} at ${bitcoin.url}`,
    });
    const { chain } = await root.getBlockchainInfo();
    const ok = networkOfChain(chain) === bitcoin.network;
    results.push({
      name: "Bitcoin network",
      ok,
      detail: ok
        ? `chain "${chain}" is ${bitcoin.network}`
        : `the node runs chain "${chain}" but bitcoin.network is "${bitcoin.network}"; point bitcoin.url at a ${bitcoin.network} node or fix bitcoin.network`,
    });
    const balances = await connectNode(bitcoin, bitcoin.wallet).getBalances();
    results.push({
      name: "Bitcoin wallet",
      ok: true,
      detail: `"${bitcoin.wallet}" is loaded (${balances.trusted} sat spendable)`,
    });
  } catch (error) {
    const name = ["Bitcoin node", "Bitcoin network", "Bitcoin wallet"][results.length] ?? "Bitcoin";
    results.push({ name, ok: false, detail: nodeAdvice(error, bitcoin) });
  }
  return results;
}
