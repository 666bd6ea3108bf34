/** Wallet lifecycle and encryption: createwallet, loadwallet, unloadwallet, listwallets, getwalletinfo, … */
import { RPC, RpcError } from "../errors.js";
import { Amount } from "../json.js";
import { lastProcessedBlock, type MethodTable, opt, req } from "./types.js";

const MAX_UNLOCK_SECONDS = 100_000_000;

export const walletLifecycleMethods: MethodTable = {
  createwallet: {
    params: [
      req("wallet_name", "string"),
      opt("disable_private_keys", "bool"),
      opt("blank", "bool"),
      opt("passphrase", "string"),
      opt("avoid_reuse", "bool"),
      opt("descriptors", "bool"),
      opt("load_on_startup", "bool"),
      opt("external_signer", "bool"),
    ],
    run({ node }, args) {
      const name = args.str(0);
      if (!args.bool(5, true)) {
        throw new RpcError(
          RPC.WALLET_ERROR,
          'descriptors argument must be set to "true"; it is no longer possible to create a legacy wallet.',
        );
      }
      if (args.bool(1, false) || args.bool(7, false)) {
        throw new RpcError(
          RPC.WALLET_ERROR,
          "Error: the bitcoim sandbox only supports wallets with private keys",
        );
      }
      if (node.exists(name)) {
        throw new RpcError(
          RPC.WALLET_ERROR,
          `Wallet file verification failed. Failed to create database path '${node.datadir}/regtest/wallets/${name}'. Database already exists.`,
        );
      }
      const wallet = node.create(name);
      const passphrase = args.optStr(3);
      if (passphrase) wallet.setPassphrase(passphrase);
      node.changed();
      if (passphrase === "") {
        return {
          name,
          warnings: ["Empty string given as passphrase, wallet will not be encrypted."],
        };
      }
      return { name };
    },
  },
  loadwallet: {
    params: [req("filename", "string"), opt("load_on_startup", "bool")],
    run({ node }, args) {
      const name = args.str(0);
      if (node.loaded.has(name)) {
        throw new RpcError(RPC.WALLET_ALREADY_LOADED, `Wallet "${name}" is already loaded.`);
      }
      if (!node.exists(name)) {
        throw new RpcError(
          RPC.WALLET_NOT_FOUND,
          `Wallet file verification failed. Failed to load database path '${node.datadir}/regtest/wallets/${name}'. Path does not exist.`,
        );
      }
      node.load(name);
      node.changed();
      return { name };
    },
  },
  unloadwallet: {
    params: [opt("wallet_name", "string"), opt("load_on_startup", "bool")],
    run(ctx, args) {
      const { node } = ctx;
      const named = args.optStr(0);
      let name: string;
      if (named !== undefined) {
        if (!node.loaded.has(named)) {
          throw new RpcError(
            RPC.WALLET_NOT_FOUND,
            "Requested wallet does not exist or is not loaded",
          );
        }
        name = named;
      } else name = ctx.wallet().name;
      node.unload(name);
      node.changed();
      return {};
    },
  },
  listwallets: { params: [], run: ({ node }) => [...node.loaded.keys()] },
  getwalletinfo: {
    params: [],
    run(ctx) {
      const w = ctx.wallet();
      const external = w.keys.filter((k) => !k.change && k.type === "bech32").length;
      return {
        walletname: w.name,
        walletversion: 169900,
        format: "sqlite",
        txcount: w.txs.size,
        keypoolsize: external > 0 ? 3999 : 4000,
        keypoolsize_hd_internal: 4000,
        unlocked_until: w.encrypted ? w.unlockedUntil : undefined,
        paytxfee: new Amount(0n),
        private_keys_enabled: true,
        avoid_reuse: false,
        scanning: false,
        descriptors: true,
        external_signer: false,
        blank: false,
        birthtime: w.birthtime,
        flags: ["last_hardened_xpub_cached", "descriptor_wallet"],
        lastprocessedblock: lastProcessedBlock(ctx.node),
      };
    },
  },
  encryptwallet: {
    params: [req("passphrase", "string")],
    run(ctx, args) {
      const w = ctx.wallet();
      if (w.encrypted) {
        throw new RpcError(
          RPC.WALLET_WRONG_ENC_STATE,
          "Error: running with an encrypted wallet, but encryptwallet was called.",
        );
      }
      const passphrase = args.str(0);
      if (passphrase === "")
        throw new RpcError(RPC.INVALID_PARAMETER, "passphrase cannot be empty");
      w.setPassphrase(passphrase);
      ctx.node.changed();
      return "wallet encrypted; The keypool has been flushed and a new HD seed was generated. You need to make a new backup with the backupwallet RPC.";
    },
  },
  walletpassphrase: {
    params: [req("passphrase", "string"), req("timeout", "number")],
    run(ctx, args) {
      const w = ctx.wallet();
      if (!w.encrypted) {
        throw new RpcError(
          RPC.WALLET_WRONG_ENC_STATE,
          "Error: running with an unencrypted wallet, but walletpassphrase was called.",
        );
      }
      const timeout = args.num(1, 0);
      if (timeout < 0) throw new RpcError(RPC.INVALID_PARAMETER, "Timeout cannot be negative.");
      const passphrase = args.str(0);
      if (passphrase === "")
        throw new RpcError(RPC.INVALID_PARAMETER, "passphrase cannot be empty");
      if (!w.checkPassphrase(passphrase)) {
        throw new RpcError(
          RPC.WALLET_PASSPHRASE_INCORRECT,
          "Error: The wallet passphrase entered was incorrect.",
        );
      }
      w.unlock(Math.min(Math.floor(timeout), MAX_UNLOCK_SECONDS));
      return null;
    },
  },
  walletlock: {
    params: [],
    run(ctx) {
      const w = ctx.wallet();
      if (!w.encrypted) {
        throw new RpcError(
          RPC.WALLET_WRONG_ENC_STATE,
          "Error: running with an unencrypted wallet, but walletlock was called.",
        );
      }
      w.lock();
      return null;
    },
  },
};
