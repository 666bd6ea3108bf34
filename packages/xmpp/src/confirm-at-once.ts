import { type ConfirmedAs, OrdersError } from "@bitcoim/orders";
import { type CommandDeps, namesConfirmAnywhere, type ParsedBody } from "./commands/index.js";
import type { Entity } from "./jids.js";
import type { Logger } from "./log.js";

/**
 * `confirm <code>` to the gateway or a user's JID, when every language
 * reads it so: the sender, the contact and the payment in one round trip
 * (the orders' `confirmAs`). Undefined when it does not apply or fails: the
 * usual look-ups then run, and `confirm` says why.
 */
export async function confirmAtOnce(
  { orders, log }: { orders: CommandDeps["orders"]; log: Logger },
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
  if (!orders.confirmAs || code === undefined) return undefined;
  if (entity.kind !== "gateway" && entity.kind !== "username") return undefined;
  if (!namesConfirmAnywhere(parsed.word)) return undefined;
  return orders.confirmAs(bare, code, named).catch((error: unknown) => {
    // Too low a balance is a refusal the database raises: the usual path
    // phrases it. Anything else is worth a look.
    if (!(error instanceof OrdersError && error.code === "INSUFFICIENT_FUNDS")) {
      log.warn({ err: error, from: bare }, "confirm in one call failed; trying the usual way");
    }
    return undefined;
  });
}
