/** Test helpers: real addresses of every type, made by @scure/btc-signer, and error codes. */
import { schnorr, secp256k1 } from "@noble/curves/secp256k1.js";
import { hex } from "@scure/base";
import * as btc from "@scure/btc-signer";
import { AddressError, type AddressErrorCode, type ScriptType } from "../src/address.js";
import { NETWORK_PARAMS, type Network } from "../src/network.js";

export const SCRIPT_TYPES: readonly ScriptType[] = ["p2pkh", "p2sh", "p2wpkh", "p2wsh", "p2tr"];

/** A real address of `type` on `network` from a secret key. */
export function makeAddress(
  secret: bigint | Uint8Array,
  type: ScriptType,
  network: Network,
): string {
  const priv =
    typeof secret === "bigint" ? hex.decode(secret.toString(16).padStart(64, "0")) : secret;
  const net = { ...NETWORK_PARAMS[network], wif: 0 };
  const pub = secp256k1.getPublicKey(priv, true);
  const made = {
    p2pkh: () => btc.p2pkh(pub, net),
    p2sh: () => btc.p2sh(btc.p2wpkh(pub, net), net),
    p2wpkh: () => btc.p2wpkh(pub, net),
    p2wsh: () => btc.p2wsh(btc.p2pk(pub, net), net),
    p2tr: () => btc.p2tr(schnorr.getPublicKey(priv), undefined, net),
  }[type]();
  return made.address!;
}

/** The AddressError code `run` throws, or "no error". */
export function codeOf(run: () => unknown): AddressErrorCode | "no error" {
  try {
    run();
  } catch (error) {
    if (error instanceof AddressError) return error.code;
    throw error;
  }
  return "no error";
}
