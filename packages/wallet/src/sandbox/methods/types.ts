/** What a method handler gets: the node, the wallet the URL selects, and its arguments. */
import { RPC, RpcError } from "../errors.js";
import type { SandboxNode } from "../node.js";
import type { Args, ParamSpec, ParamType } from "../params.js";
import type { Wallet } from "../wallet.js";

export interface MethodContext {
  readonly node: SandboxNode;
  /** Core's wallet selection for this request (throws -18 / -19). */
  wallet(): Wallet;
  /** Stops the sandbox after the reply has been written. */
  requestStop(): void;
}

export interface Method {
  readonly params: readonly ParamSpec[];
  run(ctx: MethodContext, args: Args): unknown;
}

export type MethodTable = Readonly<Record<string, Method>>;

export const req = (name: string, type: ParamType): ParamSpec => ({ name, type, required: true });
export const opt = (name: string, type: ParamType): ParamSpec => ({ name, type });

/** Core's ParseHashV. */
export function parseHash(value: string, name: string): string {
  if (value.length !== 64) {
    throw new RpcError(
      RPC.INVALID_PARAMETER,
      `${name} must be of length 64 (not ${value.length}, for '${value}')`,
    );
  }
  if (!/^[0-9a-fA-F]{64}$/.test(value)) {
    throw new RpcError(
      RPC.INVALID_PARAMETER,
      `${name} must be hexadecimal string (not '${value}')`,
    );
  }
  return value.toLowerCase();
}

export function lastProcessedBlock(node: SandboxNode): { hash: string; height: number } {
  const tip = node.chain.tip();
  return { hash: tip.hash, height: tip.height };
}
