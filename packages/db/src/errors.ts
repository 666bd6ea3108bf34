export type DatabaseErrorCode =
  | "DB_URL_INVALID"
  | "DB_UNREACHABLE"
  | "DB_AUTH_FAILED"
  | "DB_NOT_FOUND"
  | "DB_DATA_DIR"
  | "DB_DATA_DIR_LOCKED"
  | "DB_SCHEMA_TOO_NEW"
  | "DB_SCHEMA_OUTDATED"
  | "DB_MIGRATION_CHANGED"
  | "DB_MIGRATION_FAILED";

/** Every failure to open or migrate the database; match on `code`. */
export class DatabaseError extends Error {
  override readonly name = "DatabaseError";
  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
