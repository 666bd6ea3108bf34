#!/usr/bin/env node
/** `bitcoim-sandbox`: run the regtest sandbox as a standalone Bitcoin Core stand-in. */
import { parseArgs } from "node:util";
import { launch } from "./server.js";

const HELP = `Usage: bitcoim-sandbox [--host H] [--port P] [--user U] [--password P] [--state FILE]

A Bitcoin Core v30 compatible regtest JSON-RPC server (the bitcoIM sandbox).

  --host H        address to listen on (default 127.0.0.1)
  --port P        port (default 18443, 0 = any free port)
  --user U        RPC user (default bitcoim)
  --password P    RPC password (default bitcoim)
  --state FILE    keep chain and wallets in FILE across restarts
  --fee-rate R    fallback fee rate in sat/vB (default 20)
  --help          show this help
`;

async function main(): Promise<void> {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse().values;
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = Number(values.port ?? "18443");
  const feeRate = Number(values["fee-rate"] ?? "20");
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !(feeRate > 0)) {
    process.stderr.write(`Invalid --port or --fee-rate\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  const user = values.user ?? "bitcoim";
  const sandbox = await launch({
    host: values.host ?? "127.0.0.1",
    port,
    user,
    password: values.password ?? "bitcoim",
    stateFile: values.state,
    fallbackFeeRate: feeRate,
  });
  process.stdout.write(`bitcoim sandbox (regtest) listening on ${sandbox.url} (user ${user})\n`);
  const stop = (): void => {
    void sandbox.close();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await sandbox.closed;
  process.removeListener("SIGINT", stop);
  process.removeListener("SIGTERM", stop);
  process.stdout.write("bitcoim sandbox stopped\n");
}

function parse() {
  return parseArgs({
    options: {
      host: { type: "string" },
      port: { type: "string" },
      user: { type: "string" },
      password: { type: "string" },
      state: { type: "string" },
      "fee-rate": { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
}

await main();
