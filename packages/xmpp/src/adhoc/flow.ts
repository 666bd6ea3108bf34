/**
 * What an ad-hoc command is made of: a flow of stages over the chat
 * commands' own code, so that a command's validation, refusals and replies
 * are the same whichever way it is asked (commands/).
 */
import type { SessionState, User } from "@bitcoim/accounts";
import type { CommandReply, Target } from "../commands/index.js";
import type { Catalogue, CommandName } from "../i18n/catalogue.js";
import type { Action, Stage } from "./protocol.js";

export interface Run {
  /** The requester's bare JID. */
  readonly bare: string;
  /** The JID the command runs at. */
  readonly to: string;
  readonly user: User | undefined;
  readonly admin: boolean;
  readonly target: Target;
  readonly t: Catalogue;
  /** The request's `xml:lang`, for texts outside the catalogue. */
  readonly lang: string | undefined;
  /** Runs a chat command, as if its words had been typed, with form-worded replies. */
  command(name: CommandName, args: readonly string[], rest?: string): Promise<CommandReply>;
  /** The requester's pending payments, newest first, with their recipients named. */
  pending(): Promise<
    readonly { code: string; amount: bigint; recipient: string; createdAt: Date }[]
  >;
  /** The user-facing text of a command's refusal (internal errors logged and worded as such). */
  refusal(error: unknown, written?: string): Promise<string>;
}

export interface Continue {
  readonly action: Action;
  readonly values: ReadonlyMap<string, string>;
  readonly state: SessionState;
  /**
   * Takes this step in the shared session before anything irreversible:
   * refused (bad-sessionid) when another answer to the same step won.
   */
  take(state: SessionState, end?: boolean): Promise<void>;
}

export interface Flow {
  /** The first stage, and the state to keep while it is not the last. */
  start(run: Run): Promise<{ readonly stage: Stage; readonly state?: SessionState }>;
  /** The stage after `step.action` on the current one. */
  next(run: Run, step: Continue): Promise<Stage>;
}

export const completed = (text: string, type: "info" | "error" = "info"): Stage => ({
  status: "completed",
  note: { type, text },
});

/** A one-stage command: runs at once and completes with the chat reply. */
export function once(run: (r: Run) => Promise<CommandReply>): Flow {
  return {
    async start(r) {
      try {
        const reply = await run(r);
        return {
          stage: { ...completed(reply.text), ...(reply.after ? { after: reply.after } : {}) },
        };
      } catch (error) {
        return { stage: completed(await r.refusal(error), "error") };
      }
    },
    // Never reached: a completed stage keeps no session.
    next: async () => ({ status: "canceled" }),
  };
}
