/** Chat commands (docs/behaviour.md §7) as a feature: the gateway's message handler. */
import { createChatHandler } from "../chat.js";
import type { Feature } from "../feature.js";
import type { RateLimit } from "../rate-limit.js";
import { txLinker } from "../services.js";

export function chatCommands(options: { readonly rateLimit?: RateLimit } = {}): Feature {
  return ({ component, services, log, roster }) => {
    const { config } = services;
    component.handle(
      "message",
      createChatHandler({
        accounts: services.accounts,
        orders: services.orders,
        wallet: services.wallet,
        txLink: txLinker(config.explorerTxUrl),
        jids: component.jids,
        network: config.network,
        log,
        languages: config.languages ?? [],
        ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
        roster,
      }),
    );
    return undefined;
  };
}
