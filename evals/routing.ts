/**
 * Routing evaluation as a quick standalone script: runs the meta agent's router over
 * `evals/datasets/routing.jsonl` and reports exact-match routing accuracy, overall and per expected route (`[]`
 * means a clarifying question is expected). The routing suite of `npm run eval -- routing` (evals/suites/
 * routing.eval.ts) scores the same decision per example, with reports and the baseline gate.
 *
 *   npx tsx evals/routing.ts [--data evals/datasets/routing.jsonl] [--out report.json]
 */
import fs from "node:fs";
import { z } from "zod";
import { chatModel, tierFor } from "../src/models/provider.js";
import { decideRoute, routingThreshold } from "../graphs/meta/router.js";

const Row = z.object({ id: z.string(), request: z.string().min(1), expected_routes: z.array(z.string()) });
type Row = z.infer<typeof Row>;

export function readRows(file: string): Row[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line, i) => {
      const parsed = Row.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`);
      return parsed.data;
    });
}

export async function evaluateRouting(rows: Row[]) {
  const model = chatModel(tierFor("meta", "fast"));
  const threshold = routingThreshold();
  const groups: Record<string, { n: number; correct: number }> = {};
  const misses: { id: string; expected: string[]; got: string[] }[] = [];
  let correct = 0;
  for (const row of rows) {
    const decision = await decideRoute(model, row.request);
    const got = decision.confidence < threshold ? [] : [...decision.routes].sort();
    const expected = [...row.expected_routes].sort();
    const ok = JSON.stringify(got) === JSON.stringify(expected);
    const group = expected.length === 0 ? "clarify" : expected.join("+");
    groups[group] ??= { n: 0, correct: 0 };
    groups[group].n += 1;
    if (ok) {
      correct += 1;
      groups[group].correct += 1;
    } else misses.push({ id: row.id, expected, got });
  }
  return {
    bench: "routing",
    metrics: { routing_accuracy: correct / rows.length, examples: rows.length },
    groups: Object.fromEntries(Object.entries(groups).map(([g, v]) => [g, { routing_accuracy: v.correct / v.n, examples: v.n }])),
    misses,
  };
}

async function main(argv: string[]) {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const data = flag("--data") ?? "evals/datasets/routing.jsonl";
  const report = { ...(await evaluateRouting(readRows(data))), dataset: data };
  console.log(`routing_accuracy ${report.metrics.routing_accuracy.toFixed(3)} over ${report.metrics.examples} examples`);
  for (const [group, m] of Object.entries(report.groups)) console.log(`  ${group.padEnd(22)} ${m.routing_accuracy.toFixed(3)} (${m.examples})`);
  for (const miss of report.misses) console.log(`  miss ${miss.id}: expected [${miss.expected}] got [${miss.got}]`);
  const out = flag("--out");
  if (out) fs.writeFileSync(out, JSON.stringify(report, null, 2));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2).filter((a) => a !== "--" && a !== "routing")).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
