/**
 * Method parameter specs as Core declares them: positional or named
 * arguments, Core's type check ("Wrong type passed") and typed accessors.
 */
import { RPC, RpcError } from "./errors.js";
import { type JsonIn, JsonNumber } from "./json.js";
import { amountFromValue } from "./rpc-amount.js";

export type ParamType = "string" | "number" | "bool" | "amount" | "object" | "array" | "any";

export interface ParamSpec {
  readonly name: string;
  readonly type: ParamType;
  readonly required?: boolean;
}

/** Arguments of one call, positional after mapping named ones; null means "use the default". */
export class Args {
  constructor(
    readonly values: readonly (JsonIn | undefined)[],
    private readonly specs: readonly ParamSpec[],
  ) {}

  has(i: number): boolean {
    const v = this.values[i];
    return v !== undefined && v !== null;
  }
  raw(i: number): JsonIn | undefined {
    return this.has(i) ? this.values[i] : undefined;
  }
  str(i: number): string;
  str(i: number, fallback: string): string;
  str(i: number, fallback?: string): string {
    const v = this.raw(i);
    if (typeof v === "string") return v;
    if (fallback !== undefined) return fallback;
    throw new RpcError(RPC.INVALID_PARAMETER, `Missing ${this.specs[i]?.name ?? "parameter"}`);
  }
  optStr(i: number): string | undefined {
    const v = this.raw(i);
    return typeof v === "string" ? v : undefined;
  }
  num(i: number, fallback: number): number {
    const v = this.raw(i);
    return v instanceof JsonNumber ? Number(v.text) : fallback;
  }
  optNum(i: number): number | undefined {
    const v = this.raw(i);
    return v instanceof JsonNumber ? Number(v.text) : undefined;
  }
  bool(i: number, fallback: boolean): boolean {
    const v = this.raw(i);
    return typeof v === "boolean" ? v : fallback;
  }
  amount(i: number): bigint {
    return amountFromValue(this.raw(i));
  }
}

function typeName(v: JsonIn): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "string";
  if (v instanceof JsonNumber) return "number";
  return Array.isArray(v) ? "array" : "object";
}

function accepts(type: ParamType, v: JsonIn): boolean {
  const t = typeName(v);
  switch (type) {
    case "any":
      return true;
    case "amount":
      return t === "number" || t === "string";
    default:
      return t === type;
  }
}

const expectedName: Record<ParamType, string> = {
  string: "string",
  number: "number",
  bool: "bool",
  amount: "number or string",
  object: "object",
  array: "array",
  any: "any",
};

export function usage(method: string, specs: readonly ParamSpec[]): string {
  const names = specs.map((s) => (s.required ? s.name : `( ${s.name} )`)).join(" ");
  return `${method}${names ? ` ${names}` : ""}\n\n(bitcoim sandbox: see Bitcoin Core's help for ${method})`;
}

/** Maps params (array or object) to positional arguments and type-checks them like Core. */
export function bindArgs(method: string, specs: readonly ParamSpec[], params: JsonIn): Args {
  let values: (JsonIn | undefined)[];
  if (params === null) values = [];
  else if (Array.isArray(params)) {
    if (params.length > specs.length) throw new RpcError(RPC.MISC_ERROR, usage(method, specs));
    values = [...params];
  } else if (typeof params === "object" && !(params instanceof JsonNumber)) {
    values = [];
    for (const [key, v] of Object.entries(params)) {
      const i = specs.findIndex((s) => s.name === key);
      if (i < 0) throw new RpcError(RPC.INVALID_PARAMETER, `Unknown named parameter ${key}`);
      values[i] = v;
    }
  } else {
    throw new RpcError(RPC.INVALID_REQUEST, "Params must be an array or object");
  }
  const wrong: string[] = [];
  specs.forEach((spec, i) => {
    const v = values[i];
    if (v === undefined || v === null) {
      if (spec.required) throw new RpcError(RPC.MISC_ERROR, usage(method, specs));
      return;
    }
    if (!accepts(spec.type, v)) {
      wrong.push(
        `    "Position ${i + 1} (${spec.name})": "JSON value of type ${typeName(v)} is not of expected type ${expectedName[spec.type]}"`,
      );
    }
  });
  if (wrong.length > 0) {
    throw new RpcError(RPC.TYPE_ERROR, `Wrong type passed:\n{\n${wrong.join(",\n")}\n}`);
  }
  return new Args(values, specs);
}
