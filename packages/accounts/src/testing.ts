/**
 * A small world for tests (`@bitcoim/accounts/testing`): a database (a fresh one on the real PostgreSQL
 * server, or PGlite), a regtest chain over HTTP — the sandbox, or a real
 * `bitcoind -regtest` given its binary — with the gateway's wallet "gw" and
 * an "outside" wallet holding mined coins, and the accounts service.
 */
import { type Database, openDatabase } from "@bitcoim/db";
import { createDatabaseOn } from "@bitcoim/db/testing";
import { type RpcBitcoinNode, satsFromBtc } from "@bitcoim/wallet";
import { type ChainKind, startChain, type TestChain } from "@bitcoim/wallet/regtest";
import { type Accounts, type AccountsOptions, createAccounts } from "./index.js";

/** PGlite in memory, or a fresh database on the PostgreSQL server at `postgres`. */
export type Backend = "pglite" | { postgres: string };

export interface World {
  /** The database's URL, password included: for other processes of a test. */
  url: string;
  database: Database;
  chain: TestChain;
  gw: RpcBitcoinNode;
  outside: RpcBitcoinNode;
  accounts: Accounts;
  /** Mines blocks to an outside address. */
  mine(blocks?: number): Promise<string[]>;
  /** Pays from outside; returns the txid. */
  pay(address: string, sats: bigint): Promise<string>;
  /** One deposit-scanner step, applied. */
  scan(confirmations?: number): ReturnType<Accounts["applyScan"]>;
  close(): Promise<void>;
}

export async function createWorld(
  backend: Backend,
  options: Partial<Pick<AccountsOptions, "admins" | "dustMinimum">> & {
    /** Default "sandbox"; "bitcoind" needs `binary`. */
    chain?: ChainKind;
    binary?: string;
  } = {},
): Promise<World> {
  const url =
    typeof backend === "object" ? await createDatabaseOn(backend.postgres) : "pglite:memory";
  const database = await openDatabase(url);
  const chain = await startChain(options.chain ?? "sandbox", {
    ...(options.binary === undefined ? {} : { binary: options.binary }),
  });
  const { outside, mine } = chain;
  const gw = chain.node("gw");
  const accounts = createAccounts({
    db: database.db,
    node: gw,
    network: "regtest",
    admins: options.admins ?? [],
    ...(options.dustMinimum !== undefined ? { dustMinimum: options.dustMinimum } : {}),
  });
  return {
    url,
    database,
    chain,
    gw,
    outside,
    accounts,
    mine,
    pay: chain.pay,
    scan: (confirmations = 1) => accounts.scanOnce({ node: gw, wallet: "gw", confirmations }),
    async close() {
      await database.close();
      await chain.close();
    },
  };
}

export const btc = (text: string) => satsFromBtc(text);
