/**
 * Every IQ the gateway answers, registered on the component's router:
 * registration (XEP-0077), gateway interaction (XEP-0100), vCards
 * (XEP-0054) and avatars (XEP-0084), ad-hoc commands (XEP-0050) where
 * sessions are configured, discovery (XEP-0030) with entity capabilities
 * (XEP-0115) on every outgoing presence, and version, last activity and ping.
 */
import { adhoc } from "../adhoc/index.js";
import { avatarPep } from "../avatar-pep.js";
import { entityCaps } from "../caps.js";
import { disco } from "../disco.js";
import { rootInfos } from "../disco-root.js";
import type { Feature } from "../feature.js";
import { gatewayIq } from "../gateway-iq.js";
import { last } from "../last.js";
import { ping } from "../ping.js";
import { register } from "../register.js";
import { txLinker } from "../services.js";
import { vcard } from "../vcard.js";
import { version } from "../version.js";

export function iqModules({ startedAt }: { startedAt: number }): Feature {
  return ({ component, services, log, roster, sendAfterReply }) => {
    const { iq, jids } = component;
    const { accounts, directory, config } = services;
    const { languages } = config;
    register({ iq, accounts, jids, log, sendAfterReply, languages, roster });
    gatewayIq({ iq, accounts, jids, network: config.network, languages });
    vcard({ iq, accounts, config });
    avatarPep({ iq });
    const commands = services.sessions
      ? adhoc({
          iq,
          commands: {
            accounts,
            orders: services.orders,
            jids,
            wallet: services.wallet,
            txLink: txLinker(config.explorerTxUrl),
            roster,
          },
          sessions: services.sessions,
          directory,
          registration: { accounts, jids, log, languages, roster },
          sendAfterReply,
          log,
          languages,
        })
      : undefined;
    const roots = rootInfos({ iq });
    const caps = entityCaps({ roots, jids, accounts });
    component.decorateOutgoing(caps.decorate);
    disco({
      iq,
      accounts,
      directory,
      jids,
      languages,
      roots,
      nodes: [...(commands ? [commands] : []), caps],
    });
    version({ iq });
    last({ iq, startedAt });
    ping({ iq });
    return undefined;
  };
}
