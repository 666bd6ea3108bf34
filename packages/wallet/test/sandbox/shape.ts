const VALUE = /^([0-9a-f]{64}|(bcrt1|[mn2])[0-9a-zA-Z]{25,62})$/;

/** Test helpers for comparing sandbox replies with Bitcoin Core's recorded ones. */

/**
 * The JSON "shape" of a value: keys recursively and JSON types, not values.
 * Arrays become the sorted set of their element shapes, so order-free lists
 * (Core lists wallet transactions in hash-map order) compare equal.
 */
export function shape(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${[...new Set(value.map(shape))].sort().join("|")}]`;
  if (typeof value === "object") {
    // Keys that are addresses or hashes (getaddressesbylabel) differ run to run.
    const keys = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${VALUE.test(k) ? "<value>" : k}:${shape(v)}`,
    );
    return `{${[...new Set(keys)].sort().join(",")}}`;
  }
  return typeof value;
}

/** Array lengths along the same paths (listsinceblock entry counts, mempool sizes…). */
export function lengths(value: unknown, path = "$", out: string[] = []): string[] {
  if (Array.isArray(value)) {
    out.push(`${path}#${value.length}`);
    value.forEach((v) => {
      lengths(v, `${path}[]`, []);
    });
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      lengths(v, `${path}.${k}`, out);
  }
  return out;
}

/**
 * Learns "recorded value → sandbox value" pairs (addresses, txids, block
 * hashes) from two results of the same call, walking them in parallel.
 */
export function learn(recorded: unknown, ours: unknown, map: Map<string, string>): void {
  if (typeof recorded === "string" && typeof ours === "string") {
    if (recorded !== ours && VALUE.test(recorded) && !map.has(recorded)) map.set(recorded, ours);
  } else if (Array.isArray(recorded) && Array.isArray(ours) && recorded.length === ours.length) {
    recorded.forEach((r, i) => {
      learn(r, ours[i], map);
    });
  }
}

export function substitute(text: string, map: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [from, to] of map) out = out.replaceAll(from, to);
  return out;
}
