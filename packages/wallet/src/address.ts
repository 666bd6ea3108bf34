/**
 * Bitcoin address validation: base58check (P2PKH, P2SH), bech32 for witness
 * v0 (BIP173) and bech32m for v1+ (BIP350). Checks the encoding, the
 * checksum, the version/program rules and the network; it never looks at
 * a node, so an address of a network we are not on is caught here.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bech32, bech32m, createBase58check } from "@scure/base";
import { NETWORK_PARAMS, NETWORKS, type Network } from "./network.js";

/** What kind of output script an address pays to. */
export type ScriptType = "p2pkh" | "p2sh" | "p2wpkh" | "p2wsh" | "p2tr";

export interface ValidAddress {
  /** The canonical spelling: bech32 in lower case, base58 as is. */
  readonly address: string;
  readonly type: ScriptType;
  readonly network: Network;
}

export type AddressErrorCode =
  | "ADDRESS_INVALID"
  | "ADDRESS_WRONG_NETWORK"
  | "ADDRESS_UNSUPPORTED"
  | "ADDRESS_NODE_INVALID"
  | "ADDRESS_NODE_NON_CANONICAL";

export class AddressError extends Error {
  override readonly name = "AddressError";
  /** For ADDRESS_WRONG_NETWORK: the networks the address does belong to. */
  readonly networks: readonly Network[];
  constructor(
    readonly code: AddressErrorCode,
    message: string,
    options: { cause?: unknown; networks?: readonly Network[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.networks = options.networks ?? [];
  }
}

/** What an address string is, before asking which network we are on. */
export interface InspectedAddress {
  readonly address: string;
  /** null: a well-formed segwit address of a version/length we cannot pay. */
  readonly type: ScriptType | null;
  /** Every network the address is valid on (testnet and signet always together). */
  readonly networks: readonly Network[];
}

/** Longest valid address is bech32's 90 characters; refuse huge input early. */
const MAX_ADDRESS_LENGTH = 90;
/** BIP173/BIP350: "bc1" + a version + a 2-byte program + checksum, e.g. the pay-to-anchor bc1pfeessrawgf. */
export const MIN_ADDRESS_LENGTH = 14;

const base58check = createBase58check(sha256);

export function validateAddress(address: string, network: Network): ValidAddress {
  const found = inspectAddress(address);
  if (!found.networks.includes(network)) {
    throw new AddressError(
      "ADDRESS_WRONG_NETWORK",
      `${found.address} is an address for ${found.networks.join("/")}, not ${network}`,
      { networks: found.networks },
    );
  }
  if (found.type === null) {
    throw new AddressError(
      "ADDRESS_UNSUPPORTED",
      `${found.address} is a segwit address of a kind that cannot be paid yet`,
    );
  }
  return { address: found.address, type: found.type, network };
}

export function isAddress(address: string, network: Network): boolean {
  // Most words a user writes are far shorter than any address: answer them
  // without building (and throwing) an AddressError with its stack trace.
  if (address.length < MIN_ADDRESS_LENGTH || address.length > MAX_ADDRESS_LENGTH) return false;
  try {
    validateAddress(address, network);
    return true;
  } catch (error) {
    if (error instanceof AddressError) return false;
    throw error;
  }
}

/** Decodes an address for whichever network it belongs to; throws ADDRESS_INVALID. */
export function inspectAddress(address: string): InspectedAddress {
  if (address.length === 0 || address.length > MAX_ADDRESS_LENGTH) throw invalid(address);
  const lower = address.toLowerCase();
  const hrp = lower.slice(0, lower.lastIndexOf("1"));
  const networks = NETWORKS.filter((n) => NETWORK_PARAMS[n].bech32 === hrp);
  return networks.length > 0 ? inspectSegwit(address, lower, networks) : inspectBase58(address);
}

function inspectSegwit(
  address: string,
  lower: string,
  networks: readonly Network[],
): InspectedAddress {
  // BIP173: all lower or all upper case; the canonical form is lower case.
  if (address !== lower && address !== address.toUpperCase()) throw invalid(address, "mixed case");
  const asBech32 = bech32.decodeUnsafe(lower);
  const asBech32m = asBech32 ? undefined : bech32m.decodeUnsafe(lower);
  const decoded = asBech32 ?? asBech32m;
  if (!decoded) throw invalid(address, "bad checksum or character");
  const [version, ...data] = decoded.words;
  const program = bech32.fromWordsUnsafe(data);
  if (version === undefined || version > 16 || !program) throw invalid(address, "bad program");
  if (program.length < 2 || program.length > 40) throw invalid(address, "bad program length");
  // BIP350: v0 keeps bech32, every later version must use bech32m.
  if ((version === 0) !== (asBech32 !== undefined)) throw invalid(address, "wrong checksum kind");
  let type: ScriptType | null = null;
  if (version === 0) {
    if (program.length === 20) type = "p2wpkh";
    else if (program.length === 32) type = "p2wsh";
    else throw invalid(address, "v0 program must be 20 or 32 bytes");
  } else if (version === 1 && program.length === 32) {
    type = "p2tr";
  }
  return { address: lower, type, networks };
}

function inspectBase58(address: string): InspectedAddress {
  let payload: Uint8Array;
  try {
    payload = base58check.decode(address);
  } catch (cause) {
    throw invalid(address, "bad base58 checksum or character", cause);
  }
  // Re-encoding guards against any alternative spelling of the same bytes.
  if (payload.length !== 21 || base58check.encode(payload) !== address) {
    throw invalid(address, "bad length");
  }
  const version = payload[0];
  const p2pkh = NETWORKS.filter((n) => NETWORK_PARAMS[n].pubKeyHash === version);
  if (p2pkh.length > 0) return { address, type: "p2pkh", networks: p2pkh };
  const p2sh = NETWORKS.filter((n) => NETWORK_PARAMS[n].scriptHash === version);
  if (p2sh.length > 0) return { address, type: "p2sh", networks: p2sh };
  throw invalid(address, "unknown version byte");
}

function invalid(address: string, why?: string, cause?: unknown): AddressError {
  const shown = address.length > MAX_ADDRESS_LENGTH ? `${address.slice(0, 20)}…` : address;
  return new AddressError(
    "ADDRESS_INVALID",
    `"${shown}" is not a valid Bitcoin address${why ? ` (${why})` : ""}`,
    cause === undefined ? {} : { cause },
  );
}
