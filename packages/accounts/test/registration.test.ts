import { users } from "@bitcoim/db";
import { usePostgresServer } from "@bitcoim/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountsError, type AccountsEvents } from "../src/index.js";
import { createWorld, type World } from "../src/testing.js";

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AccountsError);
  return error as AccountsError;
}

const postgresUrl = usePostgresServer({ beforeAll, afterAll });

describe.each(["postgres", "pglite"] as const)("registration on %s", (backend) => {
  let world: World;
  const seen: { event: keyof AccountsEvents; payload: unknown }[] = [];
  beforeAll(async () => {
    world = await createWorld(backend === "postgres" ? { postgres: postgresUrl() } : "pglite");
    for (const event of ["registered", "unregistered", "usernameChanged"] as const) {
      world.accounts.events.on(event, (payload) => seen.push({ event, payload }));
    }
  });
  afterAll(() => world?.close());

  it("registers a bare JID with a username and a labelled deposit address", async () => {
    const { user, addresses } = await world.accounts.register("Alice@Example.org", "  Alice ");
    expect(user).toMatchObject({ jid: "alice@example.org", username: "Alice" });
    expect(addresses).toHaveLength(1);
    const address = addresses[0]!.address;
    expect(address).toMatch(/^bcrt1q/);
    const labelled = await world.gw.getAddressesByLabel("alice@example.org");
    expect(labelled.map((a) => a.address)).toContain(address);
    expect((await world.accounts.byUsername("ALICE"))?.id).toBe(user.id);
    expect((await world.accounts.byAddress(address))?.id).toBe(user.id);
    expect((await world.accounts.byJid("alice@example.org/phone".split("/")[0]!))?.id).toBe(
      user.id,
    );
    expect(seen.at(-1)).toMatchObject({ event: "registered", payload: { user: { id: user.id } } });
  });

  it.each([
    ["", "USERNAME_EMPTY"],
    ["   ", "USERNAME_EMPTY"],
    ["bob.smith", "USERNAME_HAS_DOT"],
    ["bob\uff0esmith", "USERNAME_HAS_DOT"], // a full-width dot: "bob.smith" on the server
    ["bob\uff20home", "USERNAME_INVALID_CHARACTER"], // a full-width @, which no JID node may hold
    ["bob\u3000smith", "USERNAME_INVALID_CHARACTER"], // an ideographic space, a space on the server
    ["x".repeat(65), "USERNAME_TOO_LONG"],
    ["bob\u0000", "USERNAME_INVALID_CHARACTER"],
    ["bob\u200d", "USERNAME_INVALID_CHARACTER"],
    ["bcrt1qq03nn4s77tf7u8ujy20r9un49p6x3tah00jwqu", "USERNAME_IS_ADDRESS"],
    ["mxYYtpuhjQRoFnQJHSEfqvjCXpY8YNhgka", "USERNAME_IS_ADDRESS"],
    ["ALICE", "USERNAME_TAKEN"],
    ["ａｌｉｃｅ", "USERNAME_TAKEN"],
  ])("refuses the username %j with %s and writes nothing", async (username, code) => {
    const before = await world.database.db.$count(users);
    const error = await refusal(world.accounts.register("newcomer@example.org", username));
    expect(error.code).toBe(code);
    expect(await world.database.db.$count(users)).toBe(before);
  });

  it("refuses a username that decodes as an address's JID node", async () => {
    const { addressToNode } = await import("@bitcoim/wallet");
    const node = addressToNode("mxYYtpuhjQRoFnQJHSEfqvjCXpY8YNhgka");
    expect((await refusal(world.accounts.register("node@example.org", node))).code).toBe(
      "USERNAME_IS_ADDRESS",
    );
  });

  it.each([
    ["bob@localhost", "JID_WITHOUT_DOT"],
    ["localhost", "JID_WITHOUT_DOT"],
    ["bob@", "JID_INVALID"],
    ["@example.org", "JID_INVALID"],
    ["bob@example.org/res", "JID_INVALID"],
    ["bob smith@example.org", "JID_INVALID"],
  ])("refuses the JID %s with %s", async (jid, code) => {
    expect((await refusal(world.accounts.register(jid, "bobby"))).code).toBe(code);
  });

  it("refuses registering twice and renames instead", async () => {
    await world.accounts.register("carol@example.org", "carol");
    expect((await refusal(world.accounts.register("carol@example.org", "carol2"))).code).toBe(
      "ALREADY_REGISTERED",
    );
    const renamed = await world.accounts.rename("carol@example.org", "Caroline");
    expect(renamed.username).toBe("Caroline");
    expect(await world.accounts.byUsername("carol")).toBeUndefined();
    expect(seen.at(-1)).toMatchObject({ event: "usernameChanged", payload: { previous: "carol" } });
    expect((await refusal(world.accounts.rename("carol@example.org", "alice"))).code).toBe(
      "USERNAME_TAKEN",
    );
    expect((await refusal(world.accounts.rename("nobody@example.org", "x"))).code).toBe(
      "USER_NOT_FOUND",
    );
  });

  it("sets and clears a user's language; an unknown or unregistered JID is USER_NOT_FOUND", async () => {
    const { user } = await world.accounts.register("gina@example.org", "gina", { language: "en" });
    const changed = await world.accounts.setLanguage("Gina@Example.org", "fr");
    expect(changed).toMatchObject({ id: user.id, username: "gina", language: "fr" });
    expect((await world.accounts.byJid("gina@example.org"))?.language).toBe("fr");
    expect((await world.accounts.setLanguage("gina@example.org", null)).language).toBeNull();
    expect((await world.accounts.byJid("gina@example.org"))?.language).toBeNull();

    expect((await refusal(world.accounts.setLanguage("nobody@example.org", "fr"))).code).toBe(
      "USER_NOT_FOUND",
    );
    expect((await refusal(world.accounts.setLanguage("bob@", "fr"))).code).toBe("JID_INVALID");
    await world.accounts.unregister("gina@example.org");
    expect((await refusal(world.accounts.setLanguage("gina@example.org", "de"))).code).toBe(
      "USER_NOT_FOUND",
    );
    expect((await world.accounts.byId(user.id))?.language).toBeNull();
  });

  it("looks up the sender and a username in one statement, as byJid and byUsername would", async () => {
    const { user: hana } = await world.accounts.register("hana@example.org", "hana");
    const { user: ivan } = await world.accounts.register("ivan@example.org", "Ivan");
    const pairs: [string, string][] = [
      ["Hana@Example.org", "IVAN"], // two users
      ["hana@example.org", "hana"], // writing to oneself
      ["hana@example.org", "nobody"], // an unknown username
      ["stranger@example.org", "ivan"], // an unregistered sender
    ];
    for (const [jid, username] of pairs) {
      expect(await world.accounts.byJidAndUsername(jid, username)).toEqual({
        byJid: await world.accounts.byJid(jid),
        byUsername: await world.accounts.byUsername(username),
      });
    }
    const both = await world.accounts.byJidAndUsername("hana@example.org", "ivan");
    expect([both.byJid?.id, both.byUsername?.id]).toEqual([hana.id, ivan.id]);
    await world.accounts.unregister("ivan@example.org");
    expect(await world.accounts.byJidAndUsername("ivan@example.org", "ivan")).toEqual({
      byJid: undefined,
      byUsername: undefined,
    });
  });

  it("unregisters an empty account, frees the name, and gives the account back on return", async () => {
    const { user, addresses } = await world.accounts.register("dave@example.org", "dave");
    await world.accounts.unregister("dave@example.org");
    expect(await world.accounts.byJid("dave@example.org")).toBeUndefined();
    expect(await world.accounts.byUsername("dave")).toBeUndefined();
    expect(seen.at(-1)).toMatchObject({ event: "unregistered" });
    await world.accounts.register("erin@example.org", "dave"); // the name is free again
    const back = await world.accounts.register("dave@example.org", "david");
    expect(back.user.id).toBe(user.id);
    expect(back.addresses.map((a) => a.address)).toEqual(addresses.map((a) => a.address));
    expect(await world.accounts.unregister("stranger@example.org")).toBeUndefined();
  });

  it("lists registered members for admins, without the unregistered", async () => {
    const members = await world.accounts.members();
    expect(members.map((m) => m.jid)).toContain("alice@example.org");
    expect(members.every((m) => m.jid !== "stranger@example.org")).toBe(true);
    const { user } = await world.accounts.register("fleeting@example.org", "fleeting");
    await world.accounts.unregister("fleeting@example.org");
    expect((await world.accounts.members()).map((m) => m.id)).not.toContain(user.id);
  });

  it("an admin is whoever the configuration names", async () => {
    const { createAccounts } = await import("../src/index.js");
    const accounts = createAccounts({
      db: world.database.db,
      node: world.gw,
      network: "regtest",
      admins: ["Boss@Example.org"],
    });
    expect(accounts.isAdmin("boss@example.org")).toBe(true);
    expect(accounts.isAdmin("alice@example.org")).toBe(false);
  });
});
