import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

/** A file a generator wrote, relative to the directory the report is about. */
export interface WrittenFile {
  readonly path: string;
  readonly bytes: number;
  /** False when the file was generated with the content it already had (buf leaves it untouched). */
  readonly changed: boolean;
}

/** The size and modification time of every file below some directories. */
export type Snapshot = ReadonlyMap<string, { readonly mtimeMs: number; readonly size: number }>;

/** Records every file below `dirs` (relative to `base`); missing directories are empty. */
export function snapshot(base: string, dirs: readonly string[]): Snapshot {
  const files = new Map<string, { mtimeMs: number; size: number }>();
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (entry.isFile()) {
        const { mtimeMs, size } = statSync(path);
        files.set(relative(base, path).split("\\").join("/"), { mtimeMs, size });
      }
    }
  };
  for (const dir of dirs) {
    walk(resolve(base, dir));
  }
  return files;
}

/**
 * The files a run generated, sorted by path. buf does not touch a file whose content it would not
 * change, so an unchanged file looks like one left from an earlier run: with `clean` (buf deleted
 * everything else) every file in `after` was generated, the untouched ones unchanged; without it
 * only new and changed files can be told apart from old ones.
 */
export function writtenFiles(before: Snapshot, after: Snapshot, clean = false): WrittenFile[] {
  const written: WrittenFile[] = [];
  for (const [path, file] of after) {
    const old = before.get(path);
    const changed = old === undefined || old.mtimeMs !== file.mtimeMs || old.size !== file.size;
    if (changed || clean) {
      written.push({ path, bytes: file.size, changed });
    }
  }
  return written.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
