/** Who asks for a command, at which contact, in which language, and what is offered to them there. */
import type { User } from "@bitcoim/accounts";
import { bareJid } from "../chat.js";
import { type Lookup, lookUpTarget } from "../commands/index.js";
import type { Catalogue } from "../i18n/catalogue.js";
import { chooseLanguage } from "../i18n/language.js";
import type { Entity } from "../jids.js";
import type { AccountsService } from "../services.js";
import { type NodeDef, offered } from "./nodes.js";

export interface Requester {
  readonly bare: string;
  readonly user: User | undefined;
  readonly admin: boolean;
  readonly target: Lookup;
  readonly t: Catalogue;
  /** The nodes offered to this requester at this contact, in listing order. */
  readonly nodes: readonly NodeDef[];
}

export type RequesterOf = (req: {
  entity: Entity;
  from: string;
  lang: string | undefined;
}) => Promise<Requester>;

export function createRequester({
  accounts,
  languages,
  table,
}: {
  accounts: Pick<AccountsService, "byJid" | "byUsername" | "isAdmin">;
  languages?: readonly string[] | undefined;
  table: readonly NodeDef[];
}): RequesterOf {
  return async (req) => {
    const bare = bareJid(req.from);
    // The sender and the contact are looked up together: one round trip.
    const [user, target] = await Promise.all([
      accounts.byJid(bare),
      lookUpTarget(accounts, req.entity, bare),
    ]);
    const admin = user !== undefined && accounts.isAdmin(user.jid);
    const t = chooseLanguage({
      stanzaLang: req.lang,
      userLang: user?.language,
      configured: languages,
    });
    const who = { registered: user !== undefined, admin };
    const nodes = target.kind === "nobody" ? [] : table.filter((d) => offered(d, target, who));
    return { bare, user, admin, target, t, nodes };
  };
}
