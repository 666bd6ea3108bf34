import type { ConfirmedAs } from "@bitcoim/orders";
import { type CommandDeps, namesConfirmAnywhere, type ParsedBody } from "./commands/index.js";
import type { Entity } from "./jids.js";

/**
 * `confirm <code>` to the gateway or a user's JID, when every language
 * reads it so: the sender, the contact and the payment in one round trip
 * (the orders' `confirmAs`). Undefined when it does not apply or fails: the
 * usual look-ups then run, and `confirm` says why.
 */
export async function confirmAtOnce(
  orders: CommandDeps["orders"],
  {
    entity,
    bare,
    parsed,
    named,
  }: {
    entity: Entity;
    bare: string;
    parsed: ParsedBody;
    named: string | undefined;
  },
): Promise<ConfirmedAs | undefined> {
  const code = parsed.args[0];
  if (!orders.confirmAs || code === undefined || !namesConfirmAnywhere(parsed.word))
    return undefined;
  if (entity.kind !== "gateway" && entity.kind !== "username") return undefined;
  return orders.confirmAs(bare, code, named).catch(() => undefined);
}
