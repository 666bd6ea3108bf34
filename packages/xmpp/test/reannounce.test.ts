/**
 * docs/behaviour.md §9: after the XMPP server comes back, the gateway
 * announces its presence again — who was online is forgotten, users are
 * probed and get the gateway's presence — through a real Prosody
 * restarted mid-test.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Presence } from "../src/presence.js";
import { createPresenceStore, type PresenceStore } from "../src/presence-store.js";
import { announceAfterReconnects } from "../src/reannounce.js";
import { connectUser, type Element } from "./client.js";
import { createXmppWorld, goOnline, HOST, presenceIn, type XmppWorld } from "./world.js";

let w: XmppWorld;
let presence: Presence;
let store: PresenceStore;
let stop: () => void;

beforeAll(async () => {
  w = await createXmppWorld();
}, 60_000);

afterAll(async () => {
  stop?.();
  await w?.close();
});

it("forgets who was online and announces again once the stream is back", async () => {
  store = createPresenceStore({ db: w.world.database.db });
  presence = presenceIn(w, { store, announcePauseMs: 1 });
  stop = announceAfterReconnects({ component: w.gateway.component, presence, log: w.log });
  await w.world.accounts.register(`alice@${HOST}`, "alice");
  // Someone recorded online before the loss, who will not come back.
  await store.arrive(`ghost@${HOST}`, "phone");

  const back = new Promise<void>((resolve) => {
    let lost = false;
    w.gateway.component.onStatus((status) => {
      if (status === "offline") lost = true;
      else if (lost) resolve();
    });
  });
  await w.prosody.stop();
  await w.prosody.start();
  // Alice is online again before the gateway is: her presence never reached it.
  await w.prosody.register("alice", HOST, "alice-pw");
  const alice = await connectUser({
    service: w.prosody.c2sService,
    domain: HOST,
    username: "alice",
    password: "alice-pw",
  });
  await goOnline(alice);
  const hello = alice.waitFor(
    (s: Element) =>
      s.is("presence") &&
      s.attrs.from === w.domain &&
      s.getChildText("status")?.startsWith("hello alice") === true,
    "the gateway's presence, announced again",
    30_000,
  );
  await back;
  expect((await hello).attrs.type).toBeUndefined();
  expect(await store.isOnline(`ghost@${HOST}`)).toBe(false);
  await alice.stop();
}, 60_000);
