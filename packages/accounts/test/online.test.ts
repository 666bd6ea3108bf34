/**
 * Who is online, on both backends: first and last resources, several
 * processes' worth of concurrent arrivals, and what addresses received.
 */
import { usePostgresServer } from "@bitcoim/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOnlineResources, type OnlineResources } from "../src/index.js";
import { btc, createWorld, type World } from "../src/testing.js";

const postgresUrl = usePostgresServer({ beforeAll, afterAll });

describe.each(["postgres", "pglite"] as const)("online resources on %s", (backend) => {
  let world: World;
  let online: OnlineResources;
  beforeAll(async () => {
    world = await createWorld(backend === "postgres" ? { postgres: postgresUrl() } : "pglite");
    online = createOnlineResources({ db: world.database.db });
  });
  afterAll(() => world?.close());

  it("says which resource is a user's first and which their last", async () => {
    expect(await online.arrive("ann@example.org", "phone")).toBe("first");
    expect(await online.arrive("ann@example.org", "laptop")).toBe("another");
    expect(await online.arrive("ann@example.org", "phone")).toBe("again"); // no news
    expect(await online.isOnline("ann@example.org")).toBe(true);
    expect(await online.leave("ann@example.org", "phone")).toBe(false);
    expect(await online.leave("ann@example.org", "tablet")).toBe(false); // never here
    expect(await online.leave("ann@example.org", "laptop")).toBe(true);
    expect(await online.isOnline("ann@example.org")).toBe(false);
  });

  it("counts one first arrival among many at once", async () => {
    const firsts = await Promise.all(
      Array.from({ length: 12 }, (_, i) => online.arrive("ben@example.org", `r${i}`)),
    );
    expect(firsts.filter((a) => a === "first")).toHaveLength(1);
    expect(firsts.filter((a) => a === "another")).toHaveLength(11);
    const lasts = await Promise.all(
      Array.from({ length: 12 }, (_, i) => online.leave("ben@example.org", `r${i}`)),
    );
    expect(lasts.filter(Boolean)).toHaveLength(1);
  });

  it("lists who is online, and forgets everyone on clear", async () => {
    await online.arrive("cat@example.org", "a");
    await online.arrive("cat@example.org", "b");
    await online.arrive("dan@example.org", "a");
    expect((await online.online()).sort()).toEqual(["cat@example.org", "dan@example.org"]);
    await online.clear();
    expect(await online.online()).toEqual([]);
    expect(await online.isOnline("cat@example.org")).toBe(false);
  });

  it("sums credited deposits per address, zero for the others", async () => {
    const { user, addresses } = await world.accounts.register("eve@example.org", "eve");
    const credited = addresses[0]!.address;
    const other = (await world.accounts.newAddress(user.id)).address;
    await world.pay(credited, btc("0.3"));
    await world.pay(credited, btc("0.2"));
    await world.mine(6);
    await world.scan();
    await world.pay(other, btc("0.1")); // seen, not credited
    await world.scan();
    const received = await online.received([credited, other]);
    expect(received).toEqual(
      new Map([
        [credited, btc("0.5")],
        [other, 0n],
      ]),
    );
    expect(await online.received([])).toEqual(new Map());
  });
});
