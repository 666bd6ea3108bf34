/** What the PostgreSQL server said, read from a driver error however deeply drizzle wrapped it. */
export interface PgError {
  /** SQLSTATE, e.g. "23505" unique_violation, "23514" check_violation. */
  code: string;
  constraint?: string;
  message: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

export function pgError(error: unknown): PgError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === "object"; depth++) {
    const e = current as {
      code?: unknown;
      constraint?: unknown;
      constraint_name?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (typeof e.code === "string" && SQLSTATE.test(e.code)) {
      const constraint = e.constraint ?? e.constraint_name;
      return {
        code: e.code,
        ...(typeof constraint === "string" ? { constraint } : {}),
        message: String(e.message),
      };
    }
    current = e.cause;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown, constraint?: string) => {
  const e = pgError(error);
  return e?.code === "23505" && (constraint === undefined || e.constraint === constraint);
};

export const isCheckViolation = (error: unknown, constraint?: string) => {
  const e = pgError(error);
  return e?.code === "23514" && (constraint === undefined || e.constraint === constraint);
};
