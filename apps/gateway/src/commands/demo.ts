import { loadConfig } from "../config/index.js";
import { playConversation } from "../demo/conversation.js";
import { DEMO_DOMAIN, DEMO_HOST, setUpDemo } from "../demo/setup.js";
import { startGateway } from "../lifecycle/start.js";
import { createLogger } from "../log.js";
import { startXmpp } from "../xmpp.js";
import { type Command, parseOptions, stopRequested } from "./command.js";

export const demo: Command = {
  name: "demo",
  summary: "run the whole gateway locally and play a conversation on it",
  help: `Usage: bitcoim demo

Starts, all local and throwaway: a Prosody XMPP server (the Debian package
must be installed), the sandbox Bitcoin chain, and the gateway on an embedded
PGlite database. Then two real XMPP clients, alice and bob, register; a
deposit to alice is mined and announced; alice pays bob by username and an
outside address on-chain; bob reads his history. The transcript is printed.
It then stays up, saying how to connect your own XMPP client, until Ctrl-C.
`,
  async run({ args, env, io, signal }) {
    parseOptions(args, {});
    io.out("Setting up: Prosody, the sandbox chain, the gateway on PGlite…");
    const world = await setUpDemo();
    try {
      const config = await loadConfig({ path: world.configPath, env: {} });
      const log = createLogger({ level: env.BITCOIM_DEMO_LOG === "debug" ? "debug" : "warn" });
      const gateway = await startGateway({ config, log, startComponent: startXmpp });
      try {
        io.out(`Gateway ${DEMO_DOMAIN} is up (configuration: ${world.configPath}).\n`);
        await playConversation({ world, accounts: gateway.accounts, print: io.out });
        const [alice, bob] = world.users;
        io.out(`
The demo stays up. Connect your own XMPP client (plain login on loopback, no TLS):
  server ${new URL(world.prosody.c2sService).host}
  alice: ${alice!.jid}  password ${alice!.password}
  bob:   ${bob!.jid}  password ${bob!.password}
then talk to ${DEMO_DOMAIN} ("help"), to bob@${DEMO_DOMAIN}, or to an address contact.
Users on ${DEMO_HOST} can be added with: prosodyctl --config ${world.prosody.configPath} register NAME ${DEMO_HOST} PASSWORD
Press Ctrl-C to stop.`);
        await stopRequested(signal);
        io.out("Stopping…");
      } finally {
        await gateway.stop();
      }
    } finally {
      await world.close();
    }
    return 0;
  },
};
