export type { BitcoimDb } from "./backend.js";
export {
  connectionLimit,
  createTurn,
  isSingleConnection,
  processTurn,
  type Turn,
} from "./connections.js";
export { DatabaseError, type DatabaseErrorCode } from "./errors.js";
export { rowFromJson } from "./json-row.js";
export { defaultStateDir, redact } from "./location.js";
export type { MigrationStatus } from "./migrations.js";
export { type Database, type OpenOptions, openDatabase } from "./open.js";
export { isCheckViolation, isUniqueViolation, type PgError, pgError } from "./pg-error.js";
export * as schema from "./schema.js";
export * from "./schema.js";
export type { OwnConnection } from "./session.js";
export { usernameKey } from "./username.js";
