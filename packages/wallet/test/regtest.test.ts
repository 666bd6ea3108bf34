/** The throw-away node helpers refuse what cannot be a bitcoind, clearly, and leave nothing behind. */
import { readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { BitcoindStartError, locateBitcoind, startBitcoind } from "../src/regtest/index.js";

const leftovers = async () =>
  (await readdir(tmpdir())).filter((name) => name.startsWith("bitcoim-bitcoind-"));

it("says why no binary was found: a BITCOIND that is not executable, or none beside the checkout", async () => {
  const file = join(tmpdir(), `not-a-binary-${process.pid}`);
  await writeFile(file, "text", { mode: 0o644 });
  expect(locateBitcoind({ env: { BITCOIND: file } })).toEqual({
    missing: `BITCOIND=${file} is not an executable file`,
  });
  expect(locateBitcoind({ env: {}, from: tmpdir() })).toMatchObject({
    missing: expect.stringMatching(/^no Bitcoin Core binary: set BITCOIND/),
  });
});

it("refuses a binary that is not a bitcoind, and removes the data directory it made", async () => {
  const before = await leftovers();
  for (const binary of ["/bin/false", join(tmpdir(), "no-such-bitcoind")]) {
    const error = await startBitcoind({ binary, startTimeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BitcoindStartError);
    expect((error as BitcoindStartError).code).toBe("BITCOIND_START");
  }
  expect(await leftovers()).toEqual(before);
});
