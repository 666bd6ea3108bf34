/**
 * Where presence keeps who is online and what each address received: the
 * accounts package's store, in the database, so that several gateway
 * processes agree (docs/behaviour.md §6). Presence needs only this interface.
 */
import { createOnlineResources, type OnlineResources } from "@bitcoim/accounts";

export type PresenceStore = OnlineResources;

/** The database-backed store; the same as @bitcoim/accounts' `createOnlineResources`. */
export const createPresenceStore: typeof createOnlineResources = createOnlineResources;
