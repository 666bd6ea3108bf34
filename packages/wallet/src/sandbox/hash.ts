/** Hashing helpers in Bitcoin's byte orders (hashes are shown reversed). */
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";

export function sha256d(data: Uint8Array): Uint8Array {
  return sha256(sha256(data));
}

/** Internal byte order → the hex Core displays. */
export function toDisplayHex(hash: Uint8Array): string {
  return hex.encode(Uint8Array.from(hash).reverse());
}

export function fromDisplayHex(display: string): Uint8Array {
  return hex.decode(display).reverse();
}

/** Merkle root over display-hex hashes, Bitcoin style (odd levels duplicate the last). */
export function merkleRoot(displayHashes: readonly string[]): string {
  if (displayHashes.length === 0) return "0".repeat(64);
  let level = displayHashes.map(fromDisplayHex);
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const a = level[i] as Uint8Array;
      const b = level[i + 1] ?? a;
      const both = new Uint8Array(64);
      both.set(a, 0);
      both.set(b, 32);
      next.push(sha256d(both));
    }
    level = next;
  }
  return toDisplayHex(level[0] as Uint8Array);
}
