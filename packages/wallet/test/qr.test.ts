import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import QRCode from "qrcode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBip21 } from "../src/bip21.js";
import { qrPng } from "../src/qr.js";

const run = promisify(execFile);
let dir = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bitcoim-qr-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Scans a PNG with zbar (Debian package zbar-tools), the way a phone would. */
async function scan(png: Buffer, name: string): Promise<string> {
  const file = join(dir, `${name}.png`);
  await writeFile(file, png);
  try {
    const { stdout } = await run("zbarimg", ["--raw", "-q", file]);
    return stdout.replace(/\n$/, "");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error("zbarimg is not installed: apt-get install zbar-tools", { cause: error });
    }
    throw error;
  }
}

describe("qrPng", () => {
  it.each([
    ["bip21", buildBip21({ address: "bcrt1qqf06972utscjxs7azrag9gajn4u4yczr9p4nzh" })],
    [
      "bip21-params",
      buildBip21({
        address: "mgHcbivxyaPFdJ34hZU3gnh9J2gXE5j5Cw",
        amount: 123_456_789n,
        label: "alice@example.org",
        message: "Café & 100% (thanks)",
      }),
    ],
    ["uppercase", "BITCOIN:BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"],
  ])("%s: a scanner reads back exactly the text", async (name, text) => {
    const png = await qrPng(text);
    expect(png.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(await scan(png, name)).toBe(text);
  });

  it("uses error correction level H (the symbol is H's size, larger than M's)", async () => {
    const text = buildBip21({ address: "mgHcbivxyaPFdJ34hZU3gnh9J2gXE5j5Cw", amount: 1n });
    const width = (await qrPng(text)).readUInt32BE(16); // IHDR width
    // qrcode's PNG: 4 px per module, a 4-module quiet zone each side
    const pixels = (level: "M" | "H") =>
      (QRCode.create(text, { errorCorrectionLevel: level }).modules.size + 8) * 4;
    expect(pixels("H")).not.toBe(pixels("M"));
    expect(width).toBe(pixels("H"));
  });
});
