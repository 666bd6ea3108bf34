/**
 * Whether the Bitcoin node answers, as the application's health checks
 * last saw it. Presence shows it in every status (docs/behaviour.md §9) and
 * resends the statuses when it changes.
 */
export interface Availability {
  available(): boolean;
  /** Records what the last check saw; true when that changed anything. */
  set(available: boolean): boolean;
  /** Calls `listener` after each change; returns an unsubscribe function. */
  onChange(listener: (available: boolean) => void): () => void;
}

export function createAvailability(initial = true): Availability {
  let current = initial;
  const listeners = new Set<(available: boolean) => void>();
  return {
    available: () => current,
    set(available) {
      if (available === current) return false;
      current = available;
      for (const listener of listeners) listener(available);
      return true;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
