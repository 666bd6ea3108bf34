import { EventEmitter } from "node:events";

/**
 * A typed, in-process event emitter for host applications. Listeners run
 * after the transaction that caused the event has committed
 * (docs/architecture.md §5.6); a listener that throws is reported, never
 * undoes the commit.
 */
export interface TypedEvents<Events extends Record<string, unknown>> {
  on<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): () => void;
  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void;
}

export function createEvents<Events extends Record<string, unknown>>(
  onListenerError: (error: unknown, event: string) => void = (error) => {
    queueMicrotask(() => {
      throw error;
    });
  },
): TypedEvents<Events> {
  const emitter = new EventEmitter();
  return {
    on(event, listener) {
      const safe = (payload: Events[typeof event]) => {
        try {
          listener(payload);
        } catch (error) {
          onListenerError(error, event);
        }
      };
      emitter.on(event, safe);
      return () => emitter.off(event, safe);
    },
    emit(event, payload) {
      emitter.emit(event, payload);
    },
  };
}
