/** The Bitcoin side at start-up and in `doctor`: connect, check version, network and wallet. */
import {
  BitcoinNodeError,
  createBitcoinNode,
  type Network,
  type NetworkInfo,
  type RpcBitcoinNode,
} from "@bitcoim/wallet";
import type { BitcoinConfig } from "../config/index.js";

/**
 * Bitcoin Core 28.0: the oldest major release still maintained when this was
 * written (Core maintains the last three), and the first to report
 * `getnetworkinfo.warnings` as a list, as the fixtures record it.
 */
export const MIN_CORE_VERSION = 280_000;

/** Core's `getblockchaininfo.chain` names, onto ours. */
const CHAINS: Readonly<Record<string, Network>> = {
  main: "mainnet",
  test: "testnet",
  testnet4: "testnet",
  signet: "signet",
  regtest: "regtest",
};

export function networkOfChain(chain: string): Network | undefined {
  return CHAINS[chain];
}

/** The node (`wallet` undefined) or its wallet, from configuration. */
export function connectNode(config: BitcoinConfig, wallet?: string): RpcBitcoinNode {
  return createBitcoinNode({
    url: config.url,
    ...(config.cookieFile !== undefined
      ? { cookieFile: config.cookieFile }
      : { user: config.user ?? "", password: config.password ?? "" }),
    ...(wallet !== undefined ? { wallet } : {}),
  });
}

/** The node's chain is another network than configured. */
export class WrongNetworkError extends Error {
  override readonly name = "WrongNetworkError";
  readonly code = "NODE_WRONG_NETWORK";
  constructor(
    readonly configured: Network,
    readonly chain: string,
  ) {
    super(
      `the Bitcoin node runs chain "${chain}" but bitcoin.network is "${configured}"; point bitcoin.url at a ${configured} node or fix bitcoin.network`,
    );
  }
}

export interface CheckedNode {
  info: NetworkInfo;
  chain: string;
}

/**
 * Refuses a node that is too old (NODE_TOO_OLD) or on another network
 * (NODE_WRONG_NETWORK), then makes sure the wallet answers (NODE_WALLET_NOT_FOUND).
 */
export async function checkNode(config: BitcoinConfig): Promise<CheckedNode> {
  const root = connectNode(config);
  const info = await root.checkVersion(MIN_CORE_VERSION);
  const { chain } = await root.getBlockchainInfo();
  if (networkOfChain(chain) !== config.network) throw new WrongNetworkError(config.network, chain);
  await connectNode(config, config.wallet).getBalances();
  return { info, chain };
}

/** What an operator should do about a node failure. */
export function nodeAdvice(error: unknown, config: BitcoinConfig): string {
  if (error instanceof WrongNetworkError) return error.message;
  if (!(error instanceof BitcoinNodeError)) return String(error);
  switch (error.code) {
    case "NODE_UNAVAILABLE":
      return `cannot reach the Bitcoin node at ${config.url} (${error.reason ?? "unreachable"}); is bitcoind running with -server, and are bitcoin.url/host/port right?`;
    case "NODE_MISCONFIGURED":
      return `the node at ${config.url} refused us: ${error.message}; check bitcoin.user/password or cookie_file (rpcauth in bitcoin.conf)`;
    case "NODE_TOO_OLD":
      return `${error.message}; upgrade Bitcoin Core to ${MIN_CORE_VERSION / 10_000} or later`;
    case "NODE_WALLET_NOT_FOUND":
      return `the wallet "${config.wallet}" is not loaded; run \`bitcoin-cli loadwallet ${config.wallet}\` (or createwallet), or fix bitcoin.wallet`;
    case "NODE_WARMING_UP":
      return "the node is still starting (loading blocks); try again in a moment";
    default:
      return `${error.message} [${error.code}]`;
  }
}
