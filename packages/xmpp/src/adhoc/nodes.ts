/**
 * Which ad-hoc commands exist, where, and for whom (XEP-0050 §2.2): each
 * node is a flow over the chat commands, so that the words typed and the
 * form filled in run the same code and say the same things.
 */
import type { Target } from "../commands/index.js";
import type { AdhocNode, Catalogue } from "../i18n/catalogue.js";
import type { RegistrationDeps } from "../registration.js";
import type { Directory } from "../services.js";
import { cancelFlow } from "./cancel.js";
import { type Flow, once } from "./flow.js";
import { historyFlow } from "./history.js";
import { payFlow } from "./pay.js";
import { registerFlow, unregisterFlow } from "./registration.js";

export interface NodeDef {
  readonly node: AdhocNode;
  /** The gateway's JID, or a payee's (an address, a user). */
  readonly at: "gateway" | "payee" | "both";
  /** Who may list and run it: anyone (registration), registered users, or admins. */
  readonly who: "anyone" | "user" | "admin";
  readonly flow: Flow;
}

/** In the order clients list them. */
export function nodeTable(deps: {
  registration: RegistrationDeps;
  directory: Directory;
}): readonly NodeDef[] {
  const run = (
    name: "balance" | "help" | "audit" | "address",
    args: (t: Catalogue) => string[] = () => [],
  ) => once((r) => r.command(name, args(r.t)));
  return [
    { node: "pay", at: "payee", who: "user", flow: payFlow },
    { node: "balance", at: "gateway", who: "user", flow: run("balance") },
    { node: "address", at: "gateway", who: "user", flow: run("address") },
    { node: "address-new", at: "gateway", who: "user", flow: run("address", (t) => [t.newWord]) },
    { node: "history", at: "both", who: "user", flow: historyFlow },
    { node: "pending", at: "gateway", who: "user", flow: once((r) => r.command("confirm", [])) },
    { node: "cancel", at: "gateway", who: "user", flow: cancelFlow },
    { node: "help", at: "both", who: "user", flow: run("help") },
    { node: "audit", at: "gateway", who: "admin", flow: run("audit") },
    {
      node: "directory",
      at: "gateway",
      who: "admin",
      flow: once(async (r) => ({ text: r.t.adhoc.directory(await deps.directory.members()) })),
    },
    {
      node: "jabber:iq:register",
      at: "gateway",
      who: "anyone",
      flow: registerFlow(deps.registration),
    },
    { node: "unregister", at: "gateway", who: "user", flow: unregisterFlow(deps.registration) },
  ];
}

/** Whether `def` is offered at `target` to this requester. */
export function offered(
  def: NodeDef,
  target: Target,
  who: { registered: boolean; admin: boolean },
): boolean {
  const gateway = target.kind === "gateway";
  if (def.at === "gateway" ? !gateway : def.at === "payee" ? gateway : false) return false;
  if (def.who === "admin") return who.admin && who.registered;
  return def.who === "anyone" || who.registered;
}
