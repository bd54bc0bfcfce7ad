import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { CliError } from "./cli-error.js";

/** One plugin entry of a buf generation template. */
export interface TemplatePlugin {
  /** `local:` as written: a command name or path, or an argv list. */
  readonly local: string | readonly string[] | null;
  readonly out: string;
  /** `opt:` as a list (a single string becomes one element). */
  readonly opt: readonly string[];
}

/** A parsed `buf.gen.yaml` (version 2). */
export interface Template {
  readonly plugins: readonly TemplatePlugin[];
  /** `clean: true`: the out directories are emptied before generating. */
  readonly clean: boolean;
  /** The YAML text with each plugin's `out` replaced by `outFor(out)`. */
  withOuts(outFor: (out: string) => string): string;
}

/**
 * Reads a buf generation template with a real YAML parser. Fails with a CliError naming the
 * template for YAML syntax errors and entries without `out`.
 */
export function readTemplate(path: string, displayName = path): Template {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new CliError(`${displayName} not found; pass --config FILE (a buf generation template)`);
  }
  const doc = parseDocument(text);
  const [syntax] = doc.errors;
  if (syntax) throw new CliError(`${displayName}: ${syntax.message.split("\n")[0]}`);
  const raw = (doc.toJS() ?? {}) as { plugins?: unknown; clean?: unknown };
  if (!Array.isArray(raw.plugins) || raw.plugins.length === 0) {
    throw new CliError(`${displayName} lists no plugins (expected "plugins:" with "local:" and "out:" entries)`);
  }
  const plugins = raw.plugins.map((entry: Record<string, unknown>, i: number): TemplatePlugin => {
    const out = entry.out;
    if (typeof out !== "string" || out.length === 0) throw new CliError(`${displayName}: plugin ${i + 1} has no "out"`);
    const local = typeof entry.local === "string" || Array.isArray(entry.local) ? (entry.local as string | string[]) : null;
    const opt = entry.opt === undefined ? [] : Array.isArray(entry.opt) ? entry.opt.map(String) : [String(entry.opt)];
    return { local, out, opt };
  });
  return {
    plugins,
    clean: raw.clean === true,
    withOuts(outFor) {
      const copy = parseDocument(text);
      plugins.forEach((plugin, i) => {
        copy.setIn(["plugins", i, "out"], outFor(plugin.out));
      });
      return copy.toString();
    },
  };
}
