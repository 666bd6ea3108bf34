import type { User } from "@bitcoim/accounts";
import { type Backend, createWorld, type World } from "@bitcoim/accounts/testing";
import type { ChainKind } from "@bitcoim/wallet/regtest";
import { createOrders, type Orders, type OrdersOptions } from "../src/index.js";

/** A settable clock, so that expiry is tested without waiting. */
export function clock(start = Date.now()) {
  let now = start;
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

export interface OrdersWorld extends World {
  orders: Orders;
}

/** Which regtest chain a world runs on: the sandbox by default, or a real bitcoind. */
export interface ChainChoice {
  chain?: ChainKind;
  binary?: string;
}

export async function createOrdersWorld(
  backend: Backend,
  options: Partial<Omit<OrdersOptions, "db" | "accounts" | "network">> = {},
  chain: ChainChoice = {},
): Promise<OrdersWorld> {
  const world = await createWorld(backend, chain);
  const orders = createOrders({
    db: world.database.db,
    accounts: world.accounts,
    node: world.gw,
    network: "regtest",
    ...options,
  });
  return { ...world, orders };
}

/** A confirmed, credited deposit of `sats` to the user's first address. */
export async function credit(world: OrdersWorld, userId: number, sats: bigint): Promise<void> {
  await world.pay((await world.accounts.addresses(userId))[0]!.address, sats);
  await world.mine(1);
  await world.scan();
}

/** A PGlite world (on `chain`) where alice is registered and has `sats` credited. */
export async function aliceWith(
  sats: bigint,
  chain: ChainChoice = {},
): Promise<{ world: OrdersWorld; alice: User }> {
  const world = await createOrdersWorld("pglite", {}, chain);
  const { user: alice } = await world.accounts.register("alice@example.org", "alice");
  await credit(world, alice.id, sats);
  return { world, alice };
}
