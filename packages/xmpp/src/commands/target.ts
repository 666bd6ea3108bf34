/** The contact a command is written to, looked up from the JID it was sent to. */
import type { User } from "@bitcoim/accounts";
import type { ConfirmedAs } from "@bitcoim/orders";
import type { Entity } from "../jids.js";
import type { AccountsService } from "../services.js";
import type { Target } from "./context.js";

export type Lookup = Target | { readonly kind: "nobody"; readonly name: string };

export async function lookUpTarget(
  accounts: Pick<AccountsService, "byUsername" | "byJid" | "isAdmin">,
  entity: Entity,
  senderJid: string,
): Promise<Lookup> {
  switch (entity.kind) {
    case "gateway":
      return entity;
    case "address":
      return { kind: "address", address: entity.address };
    case "username":
      return namedUser(entity.username, await accounts.byUsername(entity.username));
    case "real-jid": {
      // Only admins name users by their real JID; others learn nothing about it.
      const user = accounts.isAdmin(senderJid) ? await accounts.byJid(entity.jid) : undefined;
      if (!user) return { kind: "nobody", name: entity.jid };
      return { kind: "user", user };
    }
  }
}

/** The user a username JID names, as looked up (by `byUsername` or with the sender). */
export function namedUser(username: string, user: User | undefined): Lookup {
  if (!user || user.unregisteredAt) return { kind: "nobody", name: username };
  return { kind: "user", user };
}

/**
 * The sender and the contact written to, read together: one statement for
 * both when a username is written to, none when `confirmAs` answered them
 * already (`quick`); the contact only for a command that will run.
 */
export function senderAndTarget(
  accounts: Pick<AccountsService, "byUsername" | "byJid" | "byJidAndUsername" | "isAdmin">,
  {
    entity,
    bare,
    run,
    named,
    quick,
  }: {
    entity: Entity;
    bare: string;
    run: boolean;
    named: string | undefined;
    quick: ConfirmedAs | undefined;
  },
): { sender: Promise<User | undefined>; target: Promise<Lookup | undefined> } {
  if (quick) {
    const target = named === undefined ? GATEWAY : namedUser(named, quick.target);
    return { sender: Promise.resolve(quick.sender), target: Promise.resolve(target) };
  }
  if (named !== undefined) {
    const both = accounts.byJidAndUsername(bare, named);
    return {
      sender: both.then(({ byJid }) => byJid),
      target: both.then(({ byUsername }) => namedUser(named, byUsername)),
    };
  }
  return {
    sender: accounts.byJid(bare),
    target: run ? lookUpTarget(accounts, entity, bare) : Promise.resolve(undefined),
  };
}

const GATEWAY = { kind: "gateway" } as const;
