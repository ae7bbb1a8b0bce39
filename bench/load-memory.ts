/**
 * Resident memory of a process group over time, read from /proc (Linux): the LangGraph dev server is a CLI
 * process, a tsx loader and the API worker, all in one group when spawned detached.
 */
import fs from "node:fs";

/** Sum of VmRSS (MiB) of every process whose process group is `pgid`; 0 when none is found or /proc is absent. */
export function groupRssMb(pgid: number): number {
  let kb = 0;
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may hold spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      const status = fs.readFileSync(`/proc/${entry}/status`, "utf8");
      const match = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
      if (match) kb += Number(match[1]);
    } catch {
      // the process ended while being read
    }
  }
  return kb / 1024;
}

export interface MemorySample {
  atMs: number;
  rssMb: number;
}

/** Samples `groupRssMb(pgid)` every `everyMs` until stopped. */
export function sampleMemory(pgid: number, everyMs = 1000): { samples: MemorySample[]; stop(): MemorySample[] } {
  const started = Date.now();
  const samples: MemorySample[] = [{ atMs: 0, rssMb: groupRssMb(pgid) }];
  const timer = setInterval(() => samples.push({ atMs: Date.now() - started, rssMb: groupRssMb(pgid) }), everyMs);
  return {
    samples,
    stop() {
      clearInterval(timer);
      samples.push({ atMs: Date.now() - started, rssMb: groupRssMb(pgid) });
      return samples;
    },
  };
}

/** Least-squares slope of RSS over time, in MiB per minute. */
export function slopeMbPerMin(samples: MemorySample[]): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const mx = samples.reduce((s, p) => s + p.atMs, 0) / n;
  const my = samples.reduce((s, p) => s + p.rssMb, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of samples) {
    num += (p.atMs - mx) * (p.rssMb - my);
    den += (p.atMs - mx) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60_000;
}

/**
 * V8 heap in use of the server's API worker (MiB), scraped from its `/metrics`
 * (`keel_process_nodejs_heap_size_used_bytes`) every `everyMs` with a `metrics`-role key. Samples that fail are
 * skipped (the server is busy); the bench reports how many it got.
 */
export function sampleHeap(apiUrl: string, apiKey: string, everyMs = 2000): { stop(): Promise<MemorySample[]> } {
  const started = Date.now();
  const samples: MemorySample[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  const scrape = async () => {
    try {
      const res = await fetch(`${apiUrl}/metrics`, { headers: { "x-api-key": apiKey }, signal: AbortSignal.timeout(everyMs * 2) });
      const text = await res.text();
      const match = text.match(/^keel_process_nodejs_heap_size_used_bytes\s+([0-9.e+]+)/m);
      if (match) samples.push({ atMs: Date.now() - started, rssMb: Number(match[1]) / 1024 / 1024 });
    } catch {
      // busy or gone: skip this sample
    }
  };
  const timer = setInterval(() => {
    inFlight = inFlight.then(scrape);
  }, everyMs);
  inFlight = scrape();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
      await scrape();
      return samples;
    },
  };
}
