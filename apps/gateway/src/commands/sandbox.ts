import { createBitcoinNode } from "@bitcoim/wallet";
import { startSandbox } from "@bitcoim/wallet/sandbox";
import {
  type Command,
  parseOptions,
  stopRequested,
  UnavailableError,
  UsageError,
} from "./command.js";

const OPTIONS = {
  port: { type: "string", short: "p" },
  state: { type: "string" },
  wallet: { type: "string" },
} as const;

export const sandbox: Command = {
  name: "sandbox",
  summary: "run the sandbox Bitcoin chain (regtest) to try the gateway on",
  help: `Usage: bitcoim sandbox [--port PORT] [--state FILE] [--wallet NAME]

Starts the sandbox chain: a Bitcoin Core–compatible regtest JSON-RPC server,
with the gateway's wallet created, and prints the [bitcoin] settings to use.

  -p, --port PORT   port to listen on (default 18443; 0 = any free port)
  --state FILE      keep the chain and wallets in FILE across restarts
  --wallet NAME     the wallet to create for the gateway (default bitcoim)
`,
  async run({ args, io, signal }) {
    const options = parseOptions(args, OPTIONS);
    const port = Number(options.port ?? "18443");
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new UsageError(`--port must be a port number 0–65535, got "${options.port}"`);
    }
    const wallet = options.wallet ?? "bitcoim";
    const chain = await startSandbox({
      port,
      ...(options.state !== undefined ? { stateFile: options.state } : {}),
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EADDRINUSE") throw error;
      throw new UnavailableError(`port ${port} is in use; pick another with --port (0 = any)`, {
        cause: error,
      });
    });
    try {
      const root = createBitcoinNode({
        url: chain.url,
        user: chain.user,
        password: chain.password,
      });
      // With --state the wallet may exist already, loaded or not.
      const loaded = (await root.call("listwallets")) as string[];
      if (!loaded.includes(wallet)) {
        await root.call("createwallet", [wallet]).catch(() => root.call("loadwallet", [wallet]));
      }
      io.out(`sandbox chain (regtest) listening on ${chain.url}`);
      io.out("");
      io.out("Configure the gateway with:");
      io.out("");
      io.out("[bitcoin]");
      io.out('network = "regtest"');
      io.out(`url = "${chain.url}"`);
      io.out(`user = "${chain.user}"`);
      io.out(`password = "${chain.password}"`);
      io.out(`wallet = "${wallet}"`);
      io.out("");
      const cli = `bitcoin-cli -regtest -rpcport=${chain.port} -rpcuser=${chain.user} -rpcpassword=${chain.password}`;
      io.out(`Mine with: ${cli} generatetoaddress 101 <address>`);
      io.out("Stop with Ctrl-C.");
      await stopRequested(signal);
    } finally {
      await chain.close();
    }
    io.out("sandbox stopped");
    return 0;
  },
};
