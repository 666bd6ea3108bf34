/**
 * XEP-0012 (Last Activity) §5 (server and service query): the answer is
 * the entity's uptime, `<query xmlns='jabber:iq:last' seconds='N'/>`.
 * Every entity on the gateway's domain answers with the seconds since the
 * gateway started (docs/behaviour.md §5): addresses and users have no
 * activity of their own to report.
 */
import type { IqRouter } from "./iq-router.js";
import { xml } from "./xml.js";

export const NS_LAST = "jabber:iq:last";

export function last({
  iq,
  startedAt,
  now = Date.now,
}: {
  iq: IqRouter;
  /** When the gateway started, ms since the epoch. */
  startedAt: number;
  now?: () => number;
}): { uptimeSeconds(): number } {
  /** Whole seconds, never negative (a clock stepped back must not make it so). */
  const uptimeSeconds = () => Math.max(0, Math.floor((now() - startedAt) / 1000));
  iq.get(NS_LAST, "query", () => xml("query", { xmlns: NS_LAST, seconds: `${uptimeSeconds()}` }));
  return { uptimeSeconds };
}
