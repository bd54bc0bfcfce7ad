import { execFile } from "node:child_process";
import { accessSync, constants, mkdirSync, readdirSync, statSync } from "node:fs";
import { basename, delimiter, join, relative, resolve } from "node:path";
import { projectPath } from "./buf.js";
import { CliError } from "./cli-error.js";
import type { TemplatePlugin } from "./template.js";

/** The protoc plugins of a template, as protoc command-line arguments. */
export function protocPluginArgs(plugins: readonly TemplatePlugin[], cwd: string): string[] {
  return plugins.flatMap((plugin, i) => {
    const name = `${pluginName(plugin)}${i}`;
    const args = [`--plugin=protoc-gen-${name}=${pluginExecutable(plugin, cwd)}`, `--${name}_out=${resolve(cwd, plugin.out)}`];
    if (plugin.opt.length > 0) args.push(`--${name}_opt=${plugin.opt.join(",")}`);
    return args;
  });
}

/**
 * The `.proto` files to compile, relative to the include directory `root`: those below `paths`
 * (files or directories, relative to `cwd`), or every one below `root`. Sorted, for stable output.
 */
export function protoFiles(root: string, paths: readonly string[], cwd: string): string[] {
  const found: string[] = [];
  const walk = (path: string): void => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) throw new CliError(`${relative(cwd, path) || path} does not exist`);
    if (stat.isFile()) {
      if (path.endsWith(".proto")) found.push(path);
      return;
    }
    for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  for (const path of paths.length > 0 ? paths.map((p) => resolve(cwd, p)) : [root]) walk(path);
  return found
    .map((file) => {
      const rel = relative(root, file);
      if (rel.startsWith("..")) throw new CliError(`${relative(cwd, file)} is outside --proto-path ${relative(cwd, root) || "."}`);
      return rel.split("\\").join("/");
    })
    .sort();
}

/**
 * Runs protoc: `-I root`, the plugins, the files; creates the out directories. protoc's errors name
 * each plugin as the template wrote it (`named`, in the same order; `plugins` by default), never by
 * the `--NAME_out` flag this function made up for it.
 */
export async function runProtoc(options: {
  protoc: string;
  root: string;
  files: readonly string[];
  plugins: readonly TemplatePlugin[];
  cwd: string;
  named?: readonly TemplatePlugin[] | undefined;
}): Promise<void> {
  for (const plugin of options.plugins) mkdirSync(resolve(options.cwd, plugin.out), { recursive: true });
  const args = [`-I${options.root}`, ...protocPluginArgs(options.plugins, options.cwd), ...options.files];
  const stderr = await new Promise<string | null>((done, fail) => {
    execFile(options.protoc, args, { cwd: options.cwd, encoding: "utf8", maxBuffer: 64 << 20 }, (error, _stdout, err) => {
      if (error === null) done(null);
      else if (typeof error.code === "number") done(err || `protoc failed with exit code ${error.code}`);
      else fail(new CliError(`cannot run ${options.protoc}: ${error.message}`));
    });
  });
  if (stderr !== null) {
    const named = options.named ?? options.plugins;
    const ours = (line: string) =>
      options.plugins.reduce(
        (text, plugin, i) => text.split(`--${pluginName(plugin)}${i}_out:`).join(`${describePlugin(named[i] ?? plugin)}:`),
        line,
      );
    const [first = "protoc failed", ...rest] = stderr
      .split("\n")
      .map((l) => ours(l.trim()))
      .filter(Boolean);
    throw new CliError(first, rest);
  }
}

/** Finds `protoc` on PATH (or $PROTOC). */
export function findProtoc(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.PROTOC;
  if (explicit) return explicit;
  const found = searchPath("protoc", env);
  if (found === null) {
    throw new CliError(
      "protoc not found on PATH: install it (Debian: apt-get install protobuf-compiler), set $PROTOC, or drop --protoc to use buf",
    );
  }
  return found;
}

/** A plugin as the template names it: `plugin protoc-gen-ts (out: src/gen)`. */
function describePlugin(plugin: TemplatePlugin): string {
  const command = Array.isArray(plugin.local) ? plugin.local.join(" ") : (plugin.local ?? "(remote)");
  return `plugin ${command} (out: ${plugin.out})`;
}

// `protoc-gen-ts` → `ts`; `["node", "plugin/bin/protoc-gen-ts.cjs"]` → `ts`.
function pluginName(plugin: TemplatePlugin): string {
  const command = Array.isArray(plugin.local) ? (plugin.local.at(-1) ?? "") : (plugin.local ?? "");
  const name = basename(String(command))
    .replace(/\.(c|m)?js$/, "")
    .replace(/^protoc-gen-/, "");
  return name.replace(/[^A-Za-z0-9_]/g, "_") || "plugin";
}

/** The executable protoc runs for a `local:` entry: protoc takes one path, not an argv list. */
function pluginExecutable(plugin: TemplatePlugin, cwd: string): string {
  const local = plugin.local;
  if (local === null) throw new CliError(`--protoc supports only "local:" plugins (out: ${plugin.out})`);
  if (typeof local === "string") {
    if (local.includes("/")) return resolve(cwd, local);
    const found = searchPath(local, { PATH: projectPath(cwd) });
    if (found === null) throw new CliError(`plugin ${local} not found in node_modules/.bin or on PATH`);
    return found;
  }
  // ["node", "path/to/script"]: protoc can run the script itself when it is executable.
  const script = local.at(-1);
  if (local.length === 2 && script !== undefined && /(^|\/)node$/.test(String(local[0]))) return resolve(cwd, script);
  throw new CliError(`--protoc cannot run the plugin command ${JSON.stringify(local)}: give a single executable`);
}

function searchPath(command: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
