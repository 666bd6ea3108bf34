/** One connection, held for the duration of a migration run. */
export interface Session {
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs statements without parameters (may be several, separated by `;`). */
  exec(text: string): Promise<void>;
  release(): Promise<void>;
}
