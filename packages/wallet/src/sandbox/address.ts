/**
 * Regtest addresses: decoding with Core's validation messages, scripts,
 * and Core's dust threshold (dust relay fee 3000 sat/kvB).
 */

import { sha256 } from "@noble/hashes/sha2.js";
import { bech32, bech32m, createBase58check, hex } from "@scure/base";
import { Address, OutScript } from "@scure/btc-signer";

export const REGTEST = { bech32: "bcrt", pubKeyHash: 0x6f, scriptHash: 0xc4, wif: 0xef } as const;

export type AddressType = "legacy" | "p2sh-segwit" | "bech32" | "bech32m";
export const ADDRESS_TYPES: readonly AddressType[] = ["legacy", "p2sh-segwit", "bech32", "bech32m"];

const base58check = createBase58check(sha256);

export type Decoded = { ok: true; script: string } | { ok: false; error: string };

/** Core's DecodeDestination for regtest, with its error strings. */
export function decodeAddress(address: string): Decoded {
  try {
    const decoded = Address(REGTEST).decode(address);
    if (decoded.type === "unknown") throw new Error("unknown");
    return { ok: true, script: hex.encode(OutScript.encode(decoded)) };
  } catch {
    return { ok: false, error: addressError(address) };
  }
}

function addressError(address: string): string {
  const lower = address.toLowerCase();
  if (lower.startsWith(`${REGTEST.bech32}1`)) {
    return "Invalid Bech32 address program size or checksum";
  }
  for (const codec of [bech32, bech32m]) {
    try {
      codec.decode(address as `${string}1${string}`);
      return "Invalid or unsupported Segwit (Bech32) or Base58 encoding.";
    } catch {
      // not this encoding
    }
  }
  try {
    const data = base58check.decode(address);
    if (data.length === 21) return "Invalid or unsupported Base58-encoded address.";
    return "Invalid length for Base58 address (P2PKH or P2SH)";
  } catch {
    return "Invalid checksum or length of Base58 address (P2PKH or P2SH)";
  }
}

/** The regtest address of an output script, if it has one. */
export function scriptToAddress(scriptHex: string): string | undefined {
  try {
    const decoded = OutScript.decode(hex.decode(scriptHex));
    if (decoded.type === "unknown") return undefined;
    return Address(REGTEST).encode(decoded);
  } catch {
    return undefined;
  }
}

/** What validateaddress / getaddressinfo report about a script's form. */
export function scriptFacts(scriptHex: string): {
  isscript: boolean;
  iswitness: boolean;
  witness_version?: number;
  witness_program?: string;
} {
  const bytes = hex.decode(scriptHex);
  const op = bytes[0] ?? 0xff;
  const isWitness =
    bytes.length >= 4 && bytes.length <= 42 && (op === 0 || (op >= 0x51 && op <= 0x60));
  if (isWitness && bytes[1] === bytes.length - 2) {
    const version = op === 0 ? 0 : op - 0x50;
    return {
      isscript: version === 1 || bytes.length === 34,
      iswitness: true,
      witness_version: version,
      witness_program: hex.encode(bytes.slice(2)),
    };
  }
  return { isscript: op === 0xa9, iswitness: false };
}

/** Core's GetDustThreshold at the default dust relay fee (3 sat/vB). */
export function dustThreshold(scriptHex: string): bigint {
  const scriptLen = scriptHex.length / 2;
  const outputSize = 8 + (scriptLen < 253 ? 1 : 3) + scriptLen;
  const spendSize = scriptFacts(scriptHex).iswitness ? 32 + 4 + 1 + 26 + 4 : 32 + 4 + 1 + 107 + 4;
  return BigInt((outputSize + spendSize) * 3);
}
