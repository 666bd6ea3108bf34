import { type BitcoimDb, depositAddresses } from "@bitcoim/db";
import type { BitcoinNode } from "@bitcoim/wallet";
import { asc, eq } from "drizzle-orm";
import type { Handle } from "./unit-of-work.js";

/** Address types a deposit address may have (docs/behaviour.md §8; bech32 by default). */
export type DepositAddressType = "bech32" | "bech32m" | "p2sh-segwit" | "legacy";

export type DepositAddress = typeof depositAddresses.$inferSelect;

export interface DepositAddressesDeps {
  db: BitcoimDb;
  node: Pick<BitcoinNode, "getNewAddress">;
  addressType?: DepositAddressType;
}

/**
 * Deposit addresses: made by the node's wallet, labelled with the owner's
 * bare JID (so the wallet alone can tell whose coins are whose), and stored
 * with their owner so that finding an address's owner needs no RPC.
 */
export function createDepositAddresses({ db, node, addressType = "bech32" }: DepositAddressesDeps) {
  return {
    addressType,

    /** A fresh address from the node, labelled `label`; not yet stored. */
    async fromNode(label: string): Promise<string> {
      return node.getNewAddress(label, addressType);
    },

    async record(
      tx: Handle,
      userId: number,
      address: string,
      label: string,
    ): Promise<DepositAddress> {
      const [row] = await tx
        .insert(depositAddresses)
        .values({ address, userId, label, addressType })
        .returning();
      return row!;
    },

    async list(userId: number, tx: Handle = db): Promise<DepositAddress[]> {
      return tx
        .select()
        .from(depositAddresses)
        .where(eq(depositAddresses.userId, userId))
        .orderBy(asc(depositAddresses.createdAt), asc(depositAddresses.address));
    },

    async find(address: string, tx: Handle = db): Promise<DepositAddress | undefined> {
      const [row] = await tx
        .select()
        .from(depositAddresses)
        .where(eq(depositAddresses.address, address));
      return row;
    },
  };
}

export type DepositAddresses = ReturnType<typeof createDepositAddresses>;
