/**
 * `pay` as an ad-hoc command at an address or a user JID: a form with the
 * amount (an XEP-0122 decimal, in BTC) and the reason; then the summary
 * with the fee, where `complete` pays and `cancel` drops the order. Both
 * steps run the chat's `pay`, `confirm` and `cancel`, so the refusals and
 * replies are theirs. The order exists from the summary on: a session that
 * is abandoned leaves it pending until it expires, as a chat `pay` does.
 */
import { type Continue, completed, type Flow, type Run } from "./flow.js";
import { dataForm } from "./forms.js";
import { commandError, type Stage } from "./protocol.js";

function amountForm(run: Run, error?: string, values?: ReadonlyMap<string, string>): Stage {
  const { t, target } = run;
  const name =
    target.kind === "user" ? target.user.username : target.kind === "address" ? target.address : "";
  return {
    status: "executing",
    actions: ["next"],
    ...(error ? { note: { type: "error", text: error } } : {}),
    form: dataForm({
      title: t.adhoc.names.pay,
      instructions: t.adhoc.payInstructions(name),
      fields: [
        {
          var: "amount",
          type: "text-single",
          label: t.adhoc.amountLabel,
          required: true,
          datatype: "xs:decimal",
          value: values?.get("amount"),
        },
        {
          var: "reason",
          type: "text-single",
          label: t.adhoc.reasonLabel,
          value: values?.get("reason"),
        },
      ],
    }),
  };
}

export const payFlow: Flow = {
  start: async (run) => ({ stage: amountForm(run), state: { stage: "amount" } }),

  async next(run, step) {
    const code = typeof step.state.code === "string" ? step.state.code : undefined;
    if (step.action === "cancel") {
      await step.take({}, true);
      if (code === undefined) return { status: "canceled" };
      const dropped = await run
        .command("cancel", [code])
        .catch(async (e) => ({ text: await run.refusal(e) }));
      return { status: "canceled", note: { type: "info", text: dropped.text } };
    }
    if (step.action === "prev")
      throw commandError("bad-request", "bad-action", run.t.adhoc.badAction("prev"), run.t.lang);
    return code === undefined ? queue(run, step) : pay(run, step, code);
  },
};

/** The amount form submitted: queue the order and show its summary. */
async function queue(run: Run, step: Continue): Promise<Stage> {
  const amount = step.values.get("amount") ?? "";
  const reason = step.values.get("reason") ?? "";
  let queued: Awaited<ReturnType<Run["command"]>>;
  try {
    queued = await run.command("pay", [amount], `${amount} ${reason}`.trim());
  } catch (error) {
    return amountForm(run, await run.refusal(error, amount), step.values);
  }
  const code = queued.code!;
  try {
    await step.take({ stage: "summary", code });
  } catch (error) {
    // Another answer to the amount form won: this one's order must not linger.
    await run.command("cancel", [code]).catch(() => {});
    throw error;
  }
  return {
    status: "executing",
    actions: ["complete"],
    form: dataForm({
      title: run.t.adhoc.names.pay,
      instructions: queued.text,
      fields: [{ var: "code", type: "hidden", value: code }],
    }),
  };
}

/** `complete` on the summary: the session ends first, so a second complete finds nothing to pay. */
async function pay(run: Run, step: Continue, code: string): Promise<Stage> {
  await step.take({ code }, true);
  try {
    return completed((await run.command("confirm", [code])).text);
  } catch (error) {
    return completed(await run.refusal(error, code), "error");
  }
}
