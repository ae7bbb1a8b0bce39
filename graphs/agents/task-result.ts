/** The structured result every task agent returns to the meta agent. */
import { z } from "zod";

export const TaskResultSchema = z
  .object({
    outcome: z
      .enum(["completed", "needs_input", "declined", "failed"])
      .describe("completed: the request was handled; needs_input: the user must supply something; declined: a human rejected the action; failed: it could not be done"),
    answer: z.string().describe("The answer for the user, stating only what the tool results and cited articles support."),
    evidence: z.array(z.string()).describe("Ids of the records and knowledge-base articles the answer rests on, e.g. INV-20417, KB-001."),
    confidence: z.number().min(0).max(1).describe("How sure you are that the answer is right and complete, 0 to 1."),
    needs_human_review: z.boolean().describe("True when a human should check this before it is relied on."),
  })
  .meta({ title: "task_result", description: "Report the final result of the task to the meta agent. Call this once, when done." });

export type TaskResult = z.infer<typeof TaskResultSchema>;
