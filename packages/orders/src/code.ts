import { randomInt } from "node:crypto";

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
