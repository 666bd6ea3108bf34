/** How a command names the other side of an order: a username, or an address. */
import type { CommandDeps } from "./context.js";

export async function recipientName(
  deps: Pick<CommandDeps, "accounts">,
  recipient: { userId: number | null; address: string | null },
): Promise<string> {
  if (recipient.address) return recipient.address;
  if (recipient.userId === null) return "?";
  const user = await deps.accounts.byId(recipient.userId);
  return user?.username ?? `#${recipient.userId}`;
}
