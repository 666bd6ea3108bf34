/** `bitcoim doctor` against real parts: Prosody, the sandbox chain, PostgreSQL, PGlite. */
import { createServer, type Server } from "node:net";
import { openDatabase } from "@bitcoim/db";
import { createDatabaseOn, freePort, usePostgresServer } from "@bitcoim/db/testing";
import { createBitcoinNode } from "@bitcoim/wallet";
import { type Sandbox, startSandbox } from "@bitcoim/wallet/sandbox";
import { createProsody, type Prosody } from "@bitcoim/xmpp/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/main.js";
import { captureIo, tempDir, tempFile } from "./helpers.js";

const postgresUrl = usePostgresServer({ beforeAll, afterAll });

describe("bitcoim doctor", () => {
  let sandbox: Sandbox;
  let prosody: Prosody;
  let notXmpp: Server;
  let migratedUrl: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    const root = createBitcoinNode({
      url: sandbox.url,
      user: sandbox.user,
      password: sandbox.password,
    });
    await root.call("createwallet", ["gw"]);
    prosody = await createProsody();
    await prosody.start();
    // Something that is not an XMPP component port.
    notXmpp = createServer((socket) => {
      socket.resume();
      socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
    });
    await new Promise<void>((resolve) => notXmpp.listen(0, "127.0.0.1", resolve));
    migratedUrl = await createDatabaseOn(postgresUrl());
    await (await openDatabase(migratedUrl)).close();
  }, 60_000);
  afterAll(async () => {
    await sandbox?.close();
    await prosody?.close();
    await new Promise((resolve) => notXmpp?.close(resolve));
  });

  function portOf(server: Server): number {
    const address = server.address();
    return typeof address === "object" && address ? address.port : 0;
  }

  async function doctor(opts: {
    xmppPort?: number;
    jid?: string;
    secret?: string;
    database?: string;
    network?: string;
    password?: string;
    wallet?: string;
    stateDir?: string;
  }) {
    const toml = [
      "[xmpp]",
      `jid = "${opts.jid ?? prosody.componentDomain}"`,
      `secret = "${opts.secret ?? prosody.componentSecret}"`,
      'host = "127.0.0.1"',
      `port = ${opts.xmppPort ?? new URL(prosody.componentService).port}`,
      "[bitcoin]",
      `network = "${opts.network ?? "regtest"}"`,
      `url = "${sandbox.url}"`,
      `user = "${sandbox.user}"`,
      `password = "${opts.password ?? sandbox.password}"`,
      `wallet = "${opts.wallet ?? "gw"}"`,
      ...(opts.database ? ["[database]", `url = "${opts.database}"`] : []),
      "[gateway]",
      `state_dir = "${opts.stateDir ?? (await tempDir())}"`,
    ].join("\n");
    const io = captureIo();
    const code = await main(["doctor", "--config", await tempFile(toml)], {}, { io });
    return { code, text: io.text() };
  }

  it("passes every check against a healthy set-up (PostgreSQL)", async () => {
    const { code, text } = await doctor({ database: migratedUrl });
    expect(text).toMatch(/ok {4}XMPP server .*accepts component "bitcoin.example.localhost"/);
    expect(text).toMatch(/ok {4}database .*schema/);
    expect(text).toMatch(/ok {4}Bitcoin node .*Satoshi/);
    expect(text).toMatch(/ok {4}Bitcoin network .*"regtest"/);
    expect(text).toMatch(/ok {4}Bitcoin wallet .*"gw" is loaded/);
    expect(text).toMatch(/All checks passed/);
    expect(code).toBe(0);
  });

  it("says an embedded database has pending migrations, and a closed XMPP port", async () => {
    const { code, text } = await doctor({ xmppPort: await freePort() });
    expect(text).toMatch(/FAIL {2}XMPP server .*ECONNREFUSED; is the XMPP server running/);
    expect(text).toMatch(
      /FAIL {2}database .*pending migrations.*bitcoim migrate.*\[DB_SCHEMA_OUTDATED\]/,
    );
    expect(code).toBe(69);
  });

  it("tells a wrong component secret, an undeclared domain and a port that is not XMPP apart", async () => {
    const secret = await doctor({ database: migratedUrl, secret: "wrong" });
    expect(secret.text).toMatch(/FAIL {2}XMPP server .*refused the secret; xmpp.secret differs/);
    expect(secret.code).toBe(69);
    const domain = await doctor({ database: migratedUrl, jid: "other.example.localhost" });
    expect(domain.text).toMatch(
      /FAIL {2}XMPP server .*no component "other.example.localhost".*declare the component/,
    );
    const http = await doctor({ database: migratedUrl, xmppPort: portOf(notXmpp) });
    expect(http.text).toMatch(/FAIL {2}XMPP server .*not its client or server port/);
    // The database and node checks still ran.
    expect(http.text).toMatch(/ok {4}Bitcoin wallet/);
  });

  it("reports wrong PostgreSQL credentials and an unreachable server", async () => {
    const wrong = new URL(migratedUrl);
    wrong.password = "wrong";
    const auth = await doctor({ database: wrong.toString() });
    expect(auth.text).toMatch(/FAIL {2}database .*refused the credentials.*\[DB_AUTH_FAILED\]/);
    expect(auth.code).toBe(69);
    const down = await doctor({ database: `postgres://u:p@127.0.0.1:${await freePort()}/x` });
    expect(down.text).toMatch(/FAIL {2}database .*cannot reach PostgreSQL.*\[DB_UNREACHABLE\]/);
  });

  it("says a schema newer than this program needs an upgrade", async () => {
    const url = await createDatabaseOn(postgresUrl());
    const database = await openDatabase(url);
    await database.db.execute(
      `INSERT INTO "bitcoim"."migrations" (tag, hash) VALUES ('9999_future', 'x')`,
    );
    await database.close();
    const { code, text } = await doctor({ database: url });
    expect(text).toMatch(
      /FAIL {2}database .*this bitcoim is older than the database: upgrade it \[DB_SCHEMA_TOO_NEW\]/,
    );
    expect(code).toBe(69);
  });

  it("reports wrong RPC credentials, another network, and a missing wallet", async () => {
    const auth = await doctor({ database: migratedUrl, password: "wrong" });
    expect(auth.text).toMatch(/FAIL {2}Bitcoin node .*refused us.*bitcoin.user\/password/);
    expect(auth.code).toBe(69);
    const network = await doctor({ database: migratedUrl, network: "mainnet" });
    expect(network.text).toMatch(/ok {4}Bitcoin node/);
    expect(network.text).toMatch(
      /FAIL {2}Bitcoin network .*chain "regtest" but bitcoin.network is "mainnet"/,
    );
    expect(network.code).toBe(69);
    const wallet = await doctor({ database: migratedUrl, wallet: "nope" });
    expect(wallet.text).toMatch(/FAIL {2}Bitcoin wallet .*"nope" is not loaded.*loadwallet nope/);
    expect(wallet.code).toBe(69);
  });

  it("exits 78 on a configuration error, before checking anything", async () => {
    const io = captureIo();
    const path = await tempFile('[xmpp]\njid = "bitcoin.example.org"\n');
    expect(await main(["doctor", "--config", path], {}, { io })).toBe(78);
    expect(io.errors.join("\n")).toMatch(/xmpp.secret.*\[CONFIG_MISSING\]/);
  });
});
