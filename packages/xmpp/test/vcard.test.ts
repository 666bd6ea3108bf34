/**
 * XEP-0054 vCards (docs/behaviour.md §5) through a real Prosody, the
 * address's QR code PHOTO read back with zbarimg, and its XEP-0153 hash.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressAvatar, addressUri, avatarUpdate, NS_VCARD_UPDATE } from "../src/avatar.js";
import { packageVersion } from "../src/package-info.js";
import { defaultExplorerUrl, explorerLink } from "../src/services.js";
import { NS_VCARD } from "../src/vcard.js";
import { type Element, type User, xml } from "./client.js";
import { errorOf } from "./helpers.js";
import { createXmppWorld, HOST, type XmppWorld } from "./world.js";

const run = promisify(execFile);

let w: XmppWorld;
let alice: User;
let admin: User;
let eve: User;
let fabienne: User;
let address: string;
beforeAll(async () => {
  w = await createXmppWorld({
    admins: [`admin@${HOST}`],
    explorerUrl: "https://explorer.example/address/{address}",
  });
  const { addresses } = await w.world.accounts.register(`alice@${HOST}`, "Alice");
  address = addresses[0]!.address;
  alice = await w.user("alice");
  admin = await w.user("admin");
  eve = await w.user("eve");
  await w.world.accounts.register(`fabienne@${HOST}`, "Fabienne", { language: "fr" });
  fabienne = await w.user("fabienne");
}, 60_000);
afterAll(async () => {
  await w?.close();
});

const vcardGet = (u: User, to: string, lang?: string) =>
  u.iq(
    xml(
      "iq",
      { type: "get", to, ...(lang ? { "xml:lang": lang } : {}) },
      xml("vCard", { xmlns: NS_VCARD }),
    ),
  );
const vcardOf = async (u: User, to: string, lang?: string): Promise<Element> => {
  const reply = await vcardGet(u, to, lang);
  expect(reply.attrs.type, reply.toString()).toBe("result");
  return reply.getChild("vCard", NS_VCARD)!;
};
const aliceJid = () => `alice@${w.domain}`;

/** What zbarimg reads from a PNG. */
async function scanQr(png: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "bitcoim-qr-"));
  try {
    const file = join(dir, "qr.png");
    await writeFile(file, png);
    const { stdout } = await run("zbarimg", ["--raw", "--quiet", file]);
    return stdout.trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

it("the gateway: its name with the version, and a description", async () => {
  const card = await vcardOf(eve, w.domain);
  expect(card.getChildText("FN")).toBe(`bitcoIM ${packageVersion}`);
  expect(card.getChildText("DESC")).toBe(
    "A Bitcoin wallet you use by chatting: pay and get paid by username or address.",
  );
});

describe("languages", () => {
  const FRENCH_DESC =
    "Un portefeuille Bitcoin qui s'utilise en discutant : payez et faites-vous payer par nom d'utilisateur ou par adresse.";

  it("the gateway's description in French to a request in French; its FN unchanged", async () => {
    const card = await vcardOf(eve, w.domain, "fr");
    expect(card.getChildText("DESC")).toBe(FRENCH_DESC);
    expect(card.getChildText("FN")).toBe(`bitcoIM ${packageVersion}`);
  });

  it("a stanza language we do not speak falls back to the user's stored one", async () => {
    expect((await vcardOf(fabienne, w.domain, "de")).getChildText("DESC")).toBe(FRENCH_DESC);
    expect((await vcardOf(fabienne, w.domain, "en")).getChildText("DESC")).toMatch(/^A Bitcoin/);
  });

  it.each([
    ["a request in French", () => vcardGet(eve, `nobody@${w.domain}`, "fr")],
    ["a French user", () => vcardGet(fabienne, `nobody@${w.domain}`, "de")],
    [
      "a stranger asking by real JID",
      () => vcardGet(eve, w.gateway.component.jids.realJidJid(`alice@${HOST}`), "fr"),
    ],
  ])("not found, in French to %s", async (_, send) => {
    const reply = await send();
    expect(errorOf(reply)).toMatchObject({
      condition: "item-not-found",
      text: "Aucun utilisateur de ce nom ici",
    });
    expect(reply.getChild("error")?.getChild("text")?.attrs["xml:lang"]).toBe("fr");
  });
});

describe("an address", () => {
  it("FN is the address, URL the explorer link, PHOTO a PNG QR code of its BIP21 URI", async () => {
    const card = await vcardOf(eve, w.gateway.component.jids.addressJid(address));
    expect(card.getChildText("FN")).toBe(address);
    expect(card.getChildText("URL")).toBe(`https://explorer.example/address/${address}`);
    const photo = card.getChild("PHOTO")!;
    expect(photo.getChildText("TYPE")).toBe("image/png");
    const png = Buffer.from(photo.getChildText("BINVAL") ?? "", "base64");
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(await scanQr(png)).toBe(`bitcoin:${address}`);
    expect(addressUri(address)).toBe(`bitcoin:${address}`);

    // XEP-0153: the hash for presences is the SHA-1 of these very bytes.
    const update = avatarUpdate(await addressAvatar(address));
    expect(update.attrs.xmlns).toBe(NS_VCARD_UPDATE);
    expect(update.getChildText("photo")).toBe(createHash("sha1").update(png).digest("hex"));
  });

  it("without an explorer, the URL is the address's bitcoin: URI", async () => {
    const bare = await createXmppWorld();
    try {
      const who = await bare.user("eve");
      const card = await vcardOf(who, bare.gateway.component.jids.addressJid(address));
      expect(card.getChildText("URL")).toBe(`bitcoin:${address}`);
    } finally {
      await bare.close();
    }
  });

  it("an outside address has one too", async () => {
    const outside = await w.world.outside.getNewAddress("", "legacy");
    const card = await vcardOf(eve, w.gateway.component.jids.addressJid(outside));
    expect(card.getChildText("FN")).toBe(outside);
    const png = Buffer.from(card.getChild("PHOTO")?.getChildText("BINVAL") ?? "", "base64");
    expect(await scanQr(png)).toBe(`bitcoin:${outside}`);
  });
});

describe("a user", () => {
  it.each([
    ["the user", () => alice],
    ["an admin", () => admin],
  ])("%s sees the username and the real JID", async (_, who) => {
    const card = await vcardOf(who(), aliceJid());
    expect(card.getChildText("NICKNAME")).toBe("Alice");
    expect(card.getChildText("FN")).toBe(`alice@${HOST}`);
  });

  it("a stranger sees the username only", async () => {
    const card = await vcardOf(eve, aliceJid());
    expect(card.getChildText("NICKNAME")).toBe("Alice");
    expect(card.getChild("FN")).toBeUndefined();
    expect(card.toString()).not.toContain(HOST);
  });

  it("by real JID: to an admin the card, to a stranger not found", async () => {
    const to = w.gateway.component.jids.realJidJid(`alice@${HOST}`);
    expect((await vcardOf(admin, to)).getChildText("FN")).toBe(`alice@${HOST}`);
    const reply = await eve.iq(xml("iq", { type: "get", to }, xml("vCard", { xmlns: NS_VCARD })));
    expect(errorOf(reply)).toMatchObject({ condition: "item-not-found" });
  });

  it("an unknown user is not found", async () => {
    const to = `nobody@${w.domain}`;
    const reply = await eve.iq(xml("iq", { type: "get", to }, xml("vCard", { xmlns: NS_VCARD })));
    expect(errorOf(reply)).toMatchObject({
      condition: "item-not-found",
      text: "No such user here",
    });
  });
});

it("no vCard can be set", async () => {
  const set = xml("iq", { type: "set", to: w.domain }, xml("vCard", { xmlns: NS_VCARD }));
  expect(errorOf(await alice.iq(set))).toMatchObject({ condition: "feature-not-implemented" });
});

describe("explorer links (unit)", () => {
  const config = (explorerUrl?: string) => ({
    domain: "d",
    network: "mainnet" as const,
    explorerUrl,
  });
  it("fills in the template, or gives none without one", () => {
    expect(explorerLink(config("https://x.example/a/{address}?q={address}"), "bc1qabc")).toBe(
      "https://x.example/a/bc1qabc?q=bc1qabc",
    );
    expect(explorerLink(config(), "bc1qabc")).toBeUndefined();
  });
  it("defaults to a public explorer, but none for regtest", () => {
    expect(defaultExplorerUrl("mainnet")).toContain("{address}");
    expect(defaultExplorerUrl("signet")).toContain("signet");
    expect(defaultExplorerUrl("regtest")).toBeUndefined();
  });
});
