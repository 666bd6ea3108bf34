/** A registered (or unregistered, with `unregisteredAt` set) user, as its row reads. */
import type { users } from "@bitcoim/db";

export type User = typeof users.$inferSelect;
