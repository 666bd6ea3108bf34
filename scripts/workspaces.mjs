// The workspace's package folders with their manifests, for the checks in this folder.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Every folder under packages/ and apps/ that holds a package.json, and bench/. */
export function workspaces() {
  const dirs = [];
  const bench = join(root, "bench");
  dirs.push({
    dir: bench,
    manifest: JSON.parse(readFileSync(join(bench, "package.json"), "utf8")),
  });
  for (const parent of ["packages", "apps"]) {
    for (const entry of readdirSync(join(root, parent))) {
      const dir = join(root, parent, entry);
      try {
        dirs.push({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) });
      } catch {
        // not a package folder
      }
    }
  }
  return dirs;
}
