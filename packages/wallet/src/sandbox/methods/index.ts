/** The method table and the dispatcher the HTTP front calls. */
import { RPC, RpcError } from "../errors.js";
import type { JsonIn } from "../json.js";
import type { SandboxNode } from "../node.js";
import { bindArgs } from "../params.js";
import { addressMethods } from "./addresses.js";
import { balanceMethods } from "./balances.js";
import { blockchainMethods } from "./blockchain.js";
import { controlMethods } from "./control.js";
import { fundMethods } from "./fund.js";
import { historyMethods } from "./history.js";
import { lockMethods } from "./locks.js";
import { mempoolMethods } from "./mempool.js";
import { rawTxMethods } from "./rawtx.js";
import { sendMethods } from "./send.js";
import type { Method, MethodTable } from "./types.js";
import { walletLifecycleMethods } from "./wallets.js";

export interface DispatcherDeps {
  readonly node: SandboxNode;
  readonly requestStop: () => void;
  readonly startedAt: number;
}

export function createDispatcher(deps: DispatcherDeps) {
  const table: MethodTable = {
    ...blockchainMethods,
    ...controlMethods,
    ...walletLifecycleMethods,
    ...addressMethods,
    ...historyMethods,
    ...balanceMethods,
    ...sendMethods,
    ...fundMethods,
    ...lockMethods,
    ...rawTxMethods,
    ...mempoolMethods,
    uptime: { params: [], run: ({ node }) => node.now() - deps.startedAt },
    help: {
      params: [],
      run: () => `== bitcoim sandbox (regtest) ==\n${Object.keys(table).sort().join("\n")}`,
    },
  };
  return (method: string, params: JsonIn, walletName: string | undefined): unknown => {
    const def: Method | undefined = Object.hasOwn(table, method) ? table[method] : undefined;
    if (!def) throw new RpcError(RPC.METHOD_NOT_FOUND, "Method not found");
    const args = bindArgs(method, def.params, params);
    return def.run(
      {
        node: deps.node,
        wallet: () => deps.node.walletFor(walletName),
        requestStop: deps.requestStop,
      },
      args,
    );
  };
}
