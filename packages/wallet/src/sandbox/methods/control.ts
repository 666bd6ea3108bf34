/** Node-level methods: mining, network info, fee estimation, address validation, stop. */
import { decodeAddress, scriptFacts } from "../address.js";
import { RPC, RpcError } from "../errors.js";
import { Amount, type JsonIn } from "../json.js";
import { parseTx } from "../tx.js";
import { type MethodTable, opt, req } from "./types.js";

const ESTIMATE_MODES = ["unset", "economical", "conservative"];

export function checkEstimateMode(mode: string | undefined): void {
  if (mode !== undefined && !ESTIMATE_MODES.includes(mode.toLowerCase())) {
    throw new RpcError(
      RPC.INVALID_PARAMETER,
      'Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"',
    );
  }
}

const network = (name: string, reachable: boolean) => ({
  name,
  limited: !reachable,
  reachable,
  proxy: "",
  proxy_randomize_credentials: false,
});

export const controlMethods: MethodTable = {
  generatetoaddress: {
    params: [req("nblocks", "number"), req("address", "string"), opt("maxtries", "number")],
    run({ node }, args) {
      const decoded = decodeAddress(args.str(1));
      if (!decoded.ok) throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, "Error: Invalid address");
      const count = args.num(0, 0);
      if (!Number.isInteger(count) || count < 0) {
        throw new RpcError(RPC.INVALID_PARAMETER, "Invalid nblocks");
      }
      const hashes = node.chain.mine(count, decoded.script);
      node.changed();
      return hashes;
    },
  },
  generateblock: {
    params: [req("output", "string"), req("transactions", "array"), opt("submit", "bool")],
    run({ node }, args) {
      const decoded = decodeAddress(args.str(0));
      if (!decoded.ok) {
        throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, "Error: Invalid address or descriptor");
      }
      if (!args.bool(2, true)) {
        throw new RpcError(
          RPC.INVALID_PARAMETER,
          "sandbox: generateblock submit=false is not supported",
        );
      }
      // Txids name mempool transactions; anything else is a raw transaction, which
      // may conflict with the mempool (how a test double-spends a wallet payment).
      const chosen = (args.raw(1) as JsonIn[]).map((item) => {
        const text = typeof item === "string" ? item : "";
        if (/^[0-9a-fA-F]{64}$/.test(text)) {
          const tx = node.chain.inMempool(text.toLowerCase()) && node.chain.tx(text.toLowerCase());
          if (!tx) {
            throw new RpcError(RPC.INVALID_ADDRESS_OR_KEY, `Transaction ${text} not in mempool.`);
          }
          return tx;
        }
        try {
          return parseTx(text.toLowerCase(), node.now());
        } catch (cause) {
          throw new RpcError(
            RPC.DESERIALIZATION_ERROR,
            `Transaction decode failed for ${text}. Make sure the tx has at least one input.`,
            { cause },
          );
        }
      });
      const hash = node.chain.mineWith(decoded.script, chosen);
      node.changed();
      return { hash };
    },
  },
  estimatesmartfee: {
    params: [req("conf_target", "number"), opt("estimate_mode", "string")],
    run(_ctx, args) {
      const target = args.num(0, 0);
      if (!(target >= 1 && target <= 1008)) {
        throw new RpcError(
          RPC.INVALID_PARAMETER,
          "Invalid conf_target, must be between 1 and 1008",
        );
      }
      checkEstimateMode(args.optStr(1));
      // Regtest has no fee history: Core answers exactly this.
      return { errors: ["Insufficient data or no feerate found"], blocks: 0 };
    },
  },
  getnetworkinfo: {
    params: [],
    run: () => ({
      version: 300000,
      subversion: "/Satoshi:30.0.0/",
      protocolversion: 70016,
      localservices: "0000000000000c09",
      localservicesnames: ["NETWORK", "WITNESS", "NETWORK_LIMITED", "P2P_V2"],
      localrelay: true,
      timeoffset: 0,
      networkactive: true,
      connections: 0,
      connections_in: 0,
      connections_out: 0,
      networks: [
        network("ipv4", true),
        network("ipv6", true),
        network("onion", false),
        network("i2p", false),
        network("cjdns", false),
      ],
      relayfee: new Amount(100n),
      incrementalfee: new Amount(100n),
      localaddresses: [],
      warnings: [],
    }),
  },
  validateaddress: {
    params: [req("address", "string")],
    run(_ctx, args) {
      const address = args.str(0);
      const decoded = decodeAddress(address);
      if (!decoded.ok) return { isvalid: false, error_locations: [], error: decoded.error };
      return {
        isvalid: true,
        address,
        scriptPubKey: decoded.script,
        ...scriptFacts(decoded.script),
      };
    },
  },
  // Core (hidden, for tests): waits until wallets have heard of every
  // mempool and block change so far. The sandbox tells them at once.
  syncwithvalidationinterfacequeue: { params: [], run: () => null },
  stop: {
    params: [opt("wait", "number")],
    run(ctx) {
      ctx.requestStop();
      return "Bitcoin Core stopping";
    },
  },
};
