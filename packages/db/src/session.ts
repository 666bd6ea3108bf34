/** One connection, held until released: a migration run, a session lock. */
export interface Session {
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs statements without parameters (may be several, separated by `;`). */
  exec(text: string): Promise<void>;
  release(): Promise<void>;
}

/**
 * A connection outside the pool, for state that lives with a session (session
 * advisory locks): nothing else ever runs on it, and closing it drops that
 * state with it.
 */
export interface OwnConnection {
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
  /**
   * How many times the connection has been lost since it was opened: each
   * loss took its session state (locks included) with it, and the next
   * query opens a new one.
   */
  losses(): number;
  close(): Promise<void>;
}
