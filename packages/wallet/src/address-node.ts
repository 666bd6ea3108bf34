/**
 * Bitcoin addresses as XMPP JID nodes (docs/behaviour.md §1). A JID node is
 * case-insensitive, a base58 address is not, so the node is the address in
 * lower case plus, when it had upper-case letters, `-` and a base-36 mask of
 * which letters (digits are not counted) were upper case, the last letter
 * being the least significant bit. Bech32 addresses are already lower case
 * and are their own node.
 *
 * Worked example, mainnet 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2:
 *   letters (28)  B v B M S E Y s t W e t q T F n A u m G F g x J a N V N
 *   upper = 1     1 0 1 1 1 1 1 0 0 1 0 0 0 1 1 0 1 0 0 1 1 0 0 1 0 1 1 1
 *   0b1011111001000110100110010111 = 199518615
 *   base 36: 199518615 = 5542183·36 + 27(r); 5542183 = 153949·36 + 19(j);
 *            153949 = 4276·36 + 13(d); 4276 = 118·36 + 28(s);
 *            118 = 3·36 + 10(a); 3 → "3asdjr"
 *   node: 1bvbmseystwetqtfn5au4m4gfg7xjanvn2-3asdjr
 *
 * Decoding accepts exactly the node `addressToNode` makes for a valid
 * address, so that one address has exactly one JID.
 */
import { AddressError, inspectAddress, validateAddress } from "./address.js";
import type { Network } from "./network.js";

/** 35 base58 characters at most, so at most 35 letters: 2^35 fits in 7 base-36 digits. */
const MAX_MASK_DIGITS = 7;
const MAX_NODE_LENGTH = 100;

/** The JID node of an address valid on any network; throws ADDRESS_INVALID. */
export function addressToNode(address: string): string {
  const canonical = inspectAddress(address).address;
  const lower = canonical.toLowerCase();
  if (lower === canonical) return lower;
  let mask = 0n;
  for (const char of canonical) {
    if (/[a-z]/i.test(char)) mask = (mask << 1n) | (char === char.toUpperCase() ? 1n : 0n);
  }
  return `${lower}-${mask.toString(36)}`;
}

/**
 * The address a JID node names on `network`. The node is compared
 * case-insensitively. Throws ADDRESS_NODE_NON_CANONICAL for a mask that is
 * not the one `addressToNode` would write, ADDRESS_NODE_INVALID for anything
 * that is not an address, and ADDRESS_WRONG_NETWORK / ADDRESS_UNSUPPORTED
 * (from `validateAddress`) for a well-formed address we cannot use here.
 */
export function nodeToAddress(node: string, network: Network): string {
  const lowered = node.toLowerCase();
  const match = /^([0-9a-z]+)(?:-([0-9a-z]+))?$/.exec(lowered);
  if (!match || lowered.length > MAX_NODE_LENGTH) {
    throw new AddressError("ADDRESS_NODE_INVALID", `"${shorten(node)}" is not an address node`);
  }
  const [, body = "", maskText] = match;
  const address = maskText === undefined ? body : applyMask(body, maskText);
  let canonical: string;
  try {
    canonical = inspectAddress(address).address;
  } catch (cause) {
    throw new AddressError("ADDRESS_NODE_INVALID", `"${node}" names no valid address`, { cause });
  }
  if (addressToNode(canonical) !== lowered) {
    throw new AddressError("ADDRESS_NODE_NON_CANONICAL", `"${node}" is not written canonically`);
  }
  return validateAddress(canonical, network).address;
}

function applyMask(body: string, maskText: string): string {
  // A leading zero (which includes a bare "0") would give a second spelling.
  if (maskText.startsWith("0") || maskText.length > MAX_MASK_DIGITS) {
    throw nonCanonical(body, maskText, "mask with leading zeros or too long");
  }
  let mask = 0n;
  for (const digit of maskText) mask = mask * 36n + BigInt(Number.parseInt(digit, 36));
  const chars = [...body];
  let bit = 0n;
  for (let i = chars.length - 1; i >= 0; i--) {
    const char = chars[i]!;
    if (!/[a-z]/.test(char)) continue;
    if ((mask >> bit) & 1n) chars[i] = char.toUpperCase();
    bit++;
  }
  if (mask >> bit !== 0n) throw nonCanonical(body, maskText, "mask has more bits than letters");
  return chars.join("");
}

function nonCanonical(body: string, maskText: string, why: string): AddressError {
  return new AddressError("ADDRESS_NODE_NON_CANONICAL", `"${body}-${maskText}": ${why}`);
}

function shorten(text: string): string {
  return text.length > MAX_NODE_LENGTH ? `${text.slice(0, 20)}…` : text;
}
