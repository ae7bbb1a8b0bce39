/**
 * Dev-split miss analysis for tool retrieval (not a bench): `npx tsx bench/retrieval-misses.ts app|bfcl|metatool [group]`.
 * Prints each DEV query whose gold tools are not all in the top 5, with the top 5 and the gold tools' ranks
 * (app: within the agent's scope, as the app ranks; GLOBAL=1 ranks all 54 tools). Vectors are cached in
 * `.data/tune-embeddings`. It never reads the test split: what it shows may guide the ranker or tool examples.
 */
import path from "node:path";
import { retrievalEmbeddings } from "../src/retrieval/embeddings.js";
import type { ToolDocument } from "../src/retrieval/tool-document.js";
import { ToolIndex } from "../src/retrieval/tool-index.js";
import { appDataset, benchmarksDir, bfclDataset, metatoolDataset } from "./retrieval-data.js";

async function main(name: string, group?: string) {
  const dir = benchmarksDir();
  const data = name === "bfcl" ? bfclDataset(dir) : name === "metatool" ? metatoolDataset(dir, 2000) : await appDataset();
  const dev = data.queries.filter((q) => q.split === "dev" && q.gold.length > 0 && (!group || q.group === group));
  const { embeddings } = retrievalEmbeddings(process.env, { cacheDir: path.resolve(".data/tune-embeddings") });
  const index = await ToolIndex.build(data.catalog, { embeddings });
  let recall = 0;
  let misses = 0;
  for (let i = 0; i < dev.length; i += 64) await index.prepare(dev.slice(i, i + 64).map((q) => q.query));
  for (const q of dev) {
    const allowed = q.agent && name === "app" && !process.env.GLOBAL ? (d: ToolDocument) => d.domain === q.agent : undefined;
    const found = await index.search(q.query, { k: 50, ...(allowed ? { allowed } : {}) });
    const names = found.tools.map((t) => t.name);
    const hit = q.gold.filter((g) => names.slice(0, 5).includes(g)).length;
    recall += hit / q.gold.length;
    if (hit < q.gold.length) {
      misses++;
      console.log(`\n[${q.id}] ${q.group}${q.agent ? ` (${q.agent})` : ""}: ${q.query.slice(0, 400)}`);
      console.log(`  gold: ${q.gold.map((g) => `${g}@${names.indexOf(g) + 1 || ">50"}`).join(", ")}`);
      console.log(`  top5: ${found.tools.slice(0, 5).map((t) => `${t.name} (${t.score.toFixed(3)} d${t.dense?.toFixed(2)} k${t.keyword.toFixed(2)})`).join(", ")}`);
    }
  }
  console.log(`\n${name}${group ? `/${group}` : ""}: dev recall@5 ${(recall / dev.length).toFixed(3)} over ${dev.length} queries, ${misses} with a miss`);
}

main(process.argv[2] ?? "app", process.argv[3]).catch((error) => {
  console.error(error);
  process.exit(1);
});
