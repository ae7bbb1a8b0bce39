/** File-system helpers for the data directory, safe on every path Node 20 may be given. */
import fs from "node:fs";
import path from "node:path";

/**
 * `mkdir -p`: creates `dir` and any missing parents; an existing directory is fine, also one another process
 * creates meanwhile. Not `mkdirSync(dir, { recursive: true })`: in Node 20 that never returns for paths such as
 * /proc/x.
 */
export function makeDirs(dir: string): void {
  try {
    fs.mkdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && fs.statSync(dir).isDirectory()) return;
    if (code !== "ENOENT" || path.dirname(dir) === dir) throw error;
    makeDirs(path.dirname(dir));
    try {
      fs.mkdirSync(dir);
    } catch (again) {
      // Another process made it in the meantime.
      if ((again as NodeJS.ErrnoException).code !== "EEXIST" || !fs.statSync(dir).isDirectory()) throw again;
    }
  }
}
