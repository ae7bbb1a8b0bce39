/**
 * The eval report as one self-contained HTML page: inline CSS and inline SVG charts (scores per suite, latency
 * and token distributions), the gate's verdict with the regressed examples, failing examples and skipped rows.
 * No script, font, image or stylesheet is loaded from anywhere.
 */
import type { EvalReport } from "./report.js";

const esc = (value: unknown) =>
  String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const fmt = (v: number | undefined | null, digits = 3) => (v === undefined || v === null ? "–" : Number.isInteger(v) ? String(v) : v.toFixed(digits));

/** Horizontal bars, one per (suite, metric), scores 0..1. */
function scoresChart(report: EvalReport): string {
  const rows = Object.entries(report.suites).flatMap(([suite, s]) => Object.entries(s.metrics).map(([metric, value]) => ({ label: `${suite} · ${metric}`, value, primary: s.primary.includes(metric) })));
  const rowH = 22;
  const labelW = 250;
  const barW = 420;
  const height = rows.length * rowH + 30;
  const bars = rows
    .map((r, i) => {
      const y = 10 + i * rowH;
      const w = Math.max(0, Math.min(1, r.value)) * barW;
      return `<text x="${labelW - 8}" y="${y + 14}" text-anchor="end" class="lbl">${esc(r.label)}</text><rect x="${labelW}" y="${y + 2}" width="${barW}" height="${rowH - 6}" class="track"/><rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 6}" class="${r.primary ? "bar" : "bar2"}"><title>${esc(r.label)}: ${fmt(r.value)}</title></rect><text x="${labelW + barW + 6}" y="${y + 14}" class="val">${fmt(r.value)}</text>`;
    })
    .join("");
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => `<line x1="${labelW + t * barW}" y1="6" x2="${labelW + t * barW}" y2="${height - 18}" class="grid"/><text x="${labelW + t * barW}" y="${height - 4}" text-anchor="middle" class="val">${t}</text>`).join("");
  return `<svg role="img" aria-label="Scores per suite" width="${labelW + barW + 60}" height="${height}" viewBox="0 0 ${labelW + barW + 60} ${height}">${ticks}${bars}</svg>`;
}

/** A histogram of values in fixed buckets, one bar per bucket. */
function histogram(title: string, values: number[], edges: number[], unit: string): string {
  const counts = new Array(edges.length + 1).fill(0) as number[];
  for (const v of values) {
    const i = edges.findIndex((e) => v < e);
    counts[i < 0 ? edges.length : i]! += 1;
  }
  const labels = counts.map((_, i) => (i === 0 ? `<${edges[0]}` : i === edges.length ? `≥${edges[edges.length - 1]}` : `${edges[i - 1]}–${edges[i]}`));
  const max = Math.max(1, ...counts);
  const barW = 66;
  const chartH = 120;
  const width = counts.length * barW + 20;
  const bars = counts
    .map((n, i) => {
      const h = (n / max) * chartH;
      const x = 10 + i * barW;
      return `<rect x="${x + 4}" y="${20 + chartH - h}" width="${barW - 8}" height="${h.toFixed(1)}" class="bar"><title>${esc(labels[i])} ${unit}: ${n}</title></rect><text x="${x + barW / 2}" y="${16 + chartH - h}" text-anchor="middle" class="val">${n || ""}</text><text x="${x + barW / 2}" y="${chartH + 34}" text-anchor="middle" class="tick">${esc(labels[i])}</text>`;
    })
    .join("");
  return `<figure><svg role="img" aria-label="${esc(title)}" width="${width}" height="${chartH + 42}" viewBox="0 0 ${width} ${chartH + 42}"><line x1="10" y1="${20 + chartH}" x2="${width - 10}" y2="${20 + chartH}" class="grid"/>${bars}</svg><figcaption>${esc(title)} (${values.length} runs, ${esc(unit)})</figcaption></figure>`;
}

const LATENCY_EDGES = [50, 100, 250, 500, 1000, 2000, 5000, 10000];
const TOKEN_EDGES = [1000, 2000, 3000, 5000, 8000, 12000, 20000];

export function renderHtml(report: EvalReport): string {
  const suiteRows = Object.entries(report.suites)
    .map(
      ([name, s]) =>
        `<tr><td>${esc(name)}</td><td>${s.examples}</td><td>${s.passed}</td><td>${fmt(s.pass_rate)}</td><td>${Object.entries(s.metrics)
          .map(([m, v]) => `${esc(m)} <b>${fmt(v)}</b>`)
          .join("<br>")}</td><td>${s.skipped}</td><td>${s.errors}</td><td>${fmt(s.latency_ms?.p50, 0)} / ${fmt(s.latency_ms?.p95, 0)}</td><td>${fmt(s.tokens?.mean, 0)}</td><td>${s.cost_usd === undefined ? "–" : s.cost_usd === null ? "unknown" : `$${s.cost_usd.toFixed(4)}`}</td></tr>`,
    )
    .join("");
  const gate = report.gate;
  const gateHtml = !gate
    ? `<p class="muted">No baseline compared.</p>`
    : `<p class="${gate.ok ? "ok" : "fail"}">${gate.ok ? "PASS" : "FAIL"}: tolerance ${gate.tolerance}</p>${gate.failures.length ? `<ul>${gate.failures.map((f) => `<li>${esc(f)}</li>`).join("")}</ul>` : ""}<table><tr><th>suite</th><th>metric</th><th>compared</th><th>baseline</th><th>current</th><th>regressed examples</th></tr>${gate.checks
        .map((c) => `<tr class="${c.ok ? "" : "bad"}"><td>${esc(c.suite)}</td><td>${esc(c.metric)}</td><td>${c.compared}</td><td>${fmt(c.baseline)}</td><td>${fmt(c.current)}</td><td>${c.regressed.map((r) => esc(r.id)).join(", ")}</td></tr>`)
        .join("")}</table>`;
  const failing = report.examples.filter((e) => !e.passed);
  const failingHtml = failing.length
    ? `<table><tr><th>suite</th><th>example</th><th>source</th><th>scores</th><th>why</th></tr>${failing
        .map(
          (e) =>
            `<tr><td>${esc(e.suite)}</td><td>${esc(e.id)}</td><td>${esc(e.source)}</td><td>${Object.entries(e.scores)
              .map(([k, v]) => `${esc(k)} ${fmt(v)}`)
              .join("<br>")}</td><td><code>${esc(e.error ?? JSON.stringify(e.details ?? {}).slice(0, 600))}</code></td></tr>`,
        )
        .join("")}</table>`
    : `<p class="ok">Every example passed.</p>`;
  const skippedHtml = report.skipped.length
    ? `<table><tr><th>suite</th><th>where</th><th>why</th></tr>${report.skipped.map((s) => `<tr><td>${esc(s.suite)}</td><td>${esc(s.file)}:${s.line}</td><td>${esc(s.error)}</td></tr>`).join("")}</table>`
    : `<p class="muted">None.</p>`;
  const appSuites = Object.keys(report.suites).filter((s) => report.examples.some((e) => e.suite === s && (e.cost?.tokens ?? 0) > 0));
  const latencyCharts = Object.keys(report.suites)
    .map((s) => histogram(`${s}: latency`, report.examples.filter((e) => e.suite === s && e.cost).map((e) => e.cost!.latency_ms), LATENCY_EDGES, "ms"))
    .join("");
  const tokenCharts = appSuites.map((s) => histogram(`${s}: tokens per run`, report.examples.filter((e) => e.suite === s && e.cost).map((e) => e.cost!.tokens), TOKEN_EDGES, "tokens")).join("");
  const costCharts = appSuites.length
    ? histogram(
        "all app runs: cost per run",
        report.examples.filter((e) => e.cost && e.cost.tokens > 0).map((e) => (e.cost!.cost_usd ?? 0) * 1000),
        [0.001, 0.5, 1, 2, 5, 10],
        "USD × 1000",
      )
    : "";
  const total = Object.values(report.suites).reduce((a, s) => ({ n: a.n + s.examples, p: a.p + s.passed }), { n: 0, p: 0 });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keel eval report ${esc(report.generated_at)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#1d2330;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde1e8;padding-bottom:4px}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #dde1e8;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f5f8}
tr.bad td{background:#fdecec}code{font-size:12px;white-space:pre-wrap;word-break:break-word}
.muted{color:#6b7385}.ok{color:#1b7f3b;font-weight:600}.fail{color:#b42318;font-weight:600}
svg .bar{fill:#3867d6}svg .bar2{fill:#8fa8e8}svg .track{fill:#eef1f6}svg .grid{stroke:#c9ced8;stroke-width:1}
svg .lbl{font-size:12px;fill:#1d2330}svg .val{font-size:11px;fill:#4a5263}svg .tick{font-size:10px;fill:#4a5263}
figure{display:inline-block;margin:6px 18px 6px 0}figcaption{font-size:12px;color:#4a5263;text-align:center}
</style></head><body>
<h1>Keel eval report</h1>
<p class="muted">${esc(report.generated_at)} · model: ${esc(report.model)} · LangSmith: ${esc(report.langsmith)} · ${total.n} examples, ${total.p} passed · ${(report.duration_ms / 1000).toFixed(1)} s</p>
<h2>Gate (against the baseline)</h2>${gateHtml}
<h2>Suites</h2>
<table><tr><th>suite</th><th>examples</th><th>passed</th><th>pass rate</th><th>metrics (mean)</th><th>skipped rows</th><th>errors</th><th>latency p50 / p95 ms</th><th>mean tokens</th><th>cost</th></tr>${suiteRows}</table>
<h2>Scores per suite</h2>${scoresChart(report)}
<h2>Latency</h2>${latencyCharts}
<h2>Cost</h2>${tokenCharts}${costCharts}
<h2>Examples that did not pass (${failing.length})</h2>${failingHtml}
<h2>Skipped dataset rows (${report.skipped.length})</h2>${skippedHtml}
</body></html>
`;
}
