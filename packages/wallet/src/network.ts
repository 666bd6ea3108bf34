/**
 * The Bitcoin networks bitcoIM can run on and their address parameters.
 * Testnet and signet share every prefix; regtest shares the base58 ones with
 * them but has its own bech32 prefix. So one address string may be valid on
 * several networks.
 */
export type Network = "mainnet" | "testnet" | "signet" | "regtest";

export const NETWORKS: readonly Network[] = ["mainnet", "testnet", "signet", "regtest"];

export interface NetworkParams {
  /** Human-readable part of bech32/bech32m (segwit) addresses. */
  readonly bech32: string;
  /** Base58check version byte of P2PKH addresses. */
  readonly pubKeyHash: number;
  /** Base58check version byte of P2SH addresses. */
  readonly scriptHash: number;
}

export const NETWORK_PARAMS: Readonly<Record<Network, NetworkParams>> = {
  mainnet: { bech32: "bc", pubKeyHash: 0x00, scriptHash: 0x05 },
  testnet: { bech32: "tb", pubKeyHash: 0x6f, scriptHash: 0xc4 },
  signet: { bech32: "tb", pubKeyHash: 0x6f, scriptHash: 0xc4 },
  regtest: { bech32: "bcrt", pubKeyHash: 0x6f, scriptHash: 0xc4 },
};

export function isNetwork(value: unknown): value is Network {
  return typeof value === "string" && (NETWORKS as readonly string[]).includes(value);
}
