#!/usr/bin/env node
// Each published package, packed as npm would publish it, is checked with
// publint: its exports, types and bin point at files the tarball holds, in
// formats Node resolves. Run by `pnpm test` after `turbo run build`.
import { relative } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { root, workspaces } from "./workspaces.mjs";

const published = () => workspaces().filter(({ manifest }) => !manifest.private);

let failed = false;
for (const { dir, manifest: pkg } of published()) {
  const { messages } = await publint({ pkgDir: dir, pack: "pnpm", strict: true });
  for (const message of messages) {
    failed = true;
    console.error(`${relative(root, dir)}: ${formatMessage(message, pkg) ?? message.code}`);
  }
}
if (failed) process.exit(1);
console.log(`packed packages: ${published().length} checked with publint, all good`);
