/** One connection, held until released: a migration run, a session lock. */
export interface Session {
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs statements without parameters (may be several, separated by `;`). */
  exec(text: string): Promise<void>;
  release(): Promise<void>;
}
