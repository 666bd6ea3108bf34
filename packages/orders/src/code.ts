import { randomInt } from "node:crypto";
import { isUniqueViolation } from "@bitcoim/db";

/** No look-alikes (0/o, 1/l/i): docs/behaviour.md §7. */
export const CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
export const CODE_LENGTH = 4;

/** A confirmation code from the CSPRNG. */
export function newCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** Codes match case-insensitively and ignore surrounding space. */
export const normaliseCode = (code: string) => code.trim().toLowerCase();

const CODE_ATTEMPTS = 20;

/**
 * Runs `use` with fresh codes until one is free: codes are unique among
 * the sender's pending orders, and the database decides races.
 */
export async function withFreshCode<T>(use: (code: string) => Promise<T>): Promise<T> {
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    try {
      return await use(newCode());
    } catch (error) {
      if (!isUniqueViolation(error, "payment_orders_pending_code_idx")) throw error;
    }
  }
  throw new Error(`no free confirmation code after ${CODE_ATTEMPTS} attempts`);
}
