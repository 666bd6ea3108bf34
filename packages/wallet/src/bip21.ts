/**
 * `bitcoin:` payment URIs (BIP21). Amounts are decimal BTC with "." only;
 * label and message are percent-encoded UTF-8 (RFC 3986: a "+" is a plus,
 * a space is %20). An unknown `req-` parameter makes the URI unusable.
 */
import { validateAddress } from "./address.js";
import { AmountError, MAX_MONEY, type Sats } from "./amount.js";
import { formatAmount, parseAmount } from "./amount-format.js";
import type { Network } from "./network.js";

export interface PaymentRequest {
  readonly address: string;
  readonly amount?: Sats;
  readonly label?: string;
  readonly message?: string;
}

export type Bip21ErrorCode =
  | "BIP21_NOT_BITCOIN_URI"
  | "BIP21_ADDRESS_INVALID"
  | "BIP21_AMOUNT_INVALID"
  | "BIP21_MALFORMED"
  | "BIP21_DUPLICATE_PARAMETER"
  | "BIP21_REQUIRED_PARAMETER_UNKNOWN";

export class Bip21Error extends Error {
  override readonly name = "Bip21Error";
  constructor(
    readonly code: Bip21ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const SCHEME = "bitcoin:";

export function buildBip21(request: PaymentRequest): string {
  // No network here, so only the shape is checked; a bad character would
  // otherwise change the URI's structure.
  if (!/^[0-9A-Za-z]+$/.test(request.address)) {
    throw new Bip21Error("BIP21_ADDRESS_INVALID", `"${request.address}" is not an address`);
  }
  const params: string[] = [];
  if (request.amount !== undefined) {
    if (request.amount <= 0n || request.amount > MAX_MONEY) {
      throw new Bip21Error("BIP21_AMOUNT_INVALID", `${request.amount} sat cannot be requested`);
    }
    params.push(`amount=${formatAmount(request.amount)}`);
  }
  if (request.label !== undefined) params.push(`label=${encode(request.label)}`);
  if (request.message !== undefined) params.push(`message=${encode(request.message)}`);
  return `${SCHEME}${request.address}${params.length > 0 ? `?${params.join("&")}` : ""}`;
}

export function parseBip21(uri: string, network: Network): PaymentRequest {
  if (uri.slice(0, SCHEME.length).toLowerCase() !== SCHEME) {
    throw new Bip21Error("BIP21_NOT_BITCOIN_URI", "Not a bitcoin: URI");
  }
  const rest = uri.slice(SCHEME.length);
  const query = rest.indexOf("?");
  const rawAddress = query === -1 ? rest : rest.slice(0, query);
  let address: string;
  try {
    address = validateAddress(rawAddress, network).address;
  } catch (cause) {
    throw new Bip21Error("BIP21_ADDRESS_INVALID", "The URI's address is not valid here", {
      cause,
    });
  }
  const found = new Map<string, string>();
  const parts = query === -1 ? [] : rest.slice(query + 1).split("&");
  for (const part of parts) {
    if (part === "") continue;
    const equals = part.indexOf("=");
    const key = decode(equals === -1 ? part : part.slice(0, equals)).toLowerCase();
    const value = equals === -1 ? undefined : decode(part.slice(equals + 1));
    if (key.startsWith("req-")) {
      throw new Bip21Error(
        "BIP21_REQUIRED_PARAMETER_UNKNOWN",
        `The URI requires "${key}", which is not supported`,
      );
    }
    if (key !== "amount" && key !== "label" && key !== "message") continue;
    if (found.has(key)) {
      throw new Bip21Error("BIP21_DUPLICATE_PARAMETER", `"${key}" is given more than once`);
    }
    found.set(key, value ?? "");
  }
  const amount = found.get("amount");
  const label = found.get("label");
  const message = found.get("message");
  return {
    address,
    ...(amount === undefined ? {} : { amount: parseBip21Amount(amount) }),
    ...(label === undefined ? {} : { label }),
    ...(message === undefined ? {} : { message }),
  };
}

/** BIP21 amounts: BTC, digits and at most one ".", nothing else. */
function parseBip21Amount(value: string): Sats {
  if (!/^[0-9]*\.?[0-9]*$/.test(value)) {
    throw new Bip21Error("BIP21_AMOUNT_INVALID", `amount "${value}" is not a decimal BTC amount`);
  }
  try {
    return parseAmount(value);
  } catch (cause) {
    if (!(cause instanceof AmountError)) throw cause;
    throw new Bip21Error("BIP21_AMOUNT_INVALID", `amount "${value}": ${cause.message}`, { cause });
  }
}

/** RFC 3986: everything but unreserved characters is percent-encoded. */
function encode(text: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch (cause) {
    // A lone UTF-16 surrogate has no UTF-8 form.
    throw new Bip21Error("BIP21_MALFORMED", "Text is not valid Unicode", { cause });
  }
  return encoded.replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch (cause) {
    throw new Bip21Error("BIP21_MALFORMED", `"${text}" is not valid percent-encoding`, { cause });
  }
}
