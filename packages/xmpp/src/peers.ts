/**
 * Several gateway processes may serve one component domain (several
 * connections, on ejabberd); the application tells the XMPP side about the
 * others through `Peers`, and presence asks it before speaking to everyone.
 */
/** The other gateway processes on this component domain (several connections, on ejabberd). */
export interface Peers {
  /** Whether no other process is running: only then is who was online stale. */
  alone(): Promise<boolean>;
  /** Leaves for good, running `goodbye` only if no other process is left to serve the users. */
  leave(goodbye: () => Promise<void>): Promise<void>;
  /**
   * Whether this process speaks for all of them: one at a time leads, and
   * only the leader announces, so that users hear the gateway once however
   * many processes start. The lead passes on when its holder goes.
   */
  leads(): Promise<boolean>;
}

/** One process on its own: the default. */
export const noPeers: Peers = {
  alone: async () => true,
  leave: (goodbye) => goodbye(),
  leads: async () => true,
};
