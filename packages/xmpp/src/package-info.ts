/** This package's name and version, read from its package.json (src/ and dist/ are siblings of it). */
import { createRequire } from "node:module";

const manifest: unknown = createRequire(import.meta.url)("../package.json");

function field(name: string): string {
  const value =
    typeof manifest === "object" && manifest !== null
      ? (manifest as Record<string, unknown>)[name]
      : undefined;
  if (typeof value !== "string") throw new Error(`package.json has no "${name}"`);
  return value;
}

export const packageVersion: string = field("version");
