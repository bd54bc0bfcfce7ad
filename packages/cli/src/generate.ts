import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { runBuf } from "./buf.js";
import { CliError } from "./cli-error.js";
import { protoFiles, runProtoc } from "./protoc.js";
import { readTemplate } from "./template.js";
import { snapshot, type WrittenFile, writtenFiles } from "./written-files.js";

/** What `tsgrpc generate` does; the command line maps its flags onto this. */
export interface GenerateOptions {
  /** The directory paths are relative to; buf runs there. */
  readonly cwd: string;
  /** buf's Node.js entry point (see `resolveBuf`). */
  readonly buf: string;
  /** The buf generation template. Default: `buf.gen.yaml`. */
  readonly config?: string | undefined;
  /** The directory of `.proto` files (or buf module) to generate from. Default: buf's, the current directory. */
  readonly protoPath?: string | undefined;
  /** Generate only these files or directories (buf's `--path`). Default: everything. */
  readonly paths?: readonly string[] | undefined;
  /** Run this protoc executable with the template's plugins instead of buf. */
  readonly protoc?: string | undefined;
  /** Called with a progress line before a large tree is generated. */
  readonly onProgress?: ((line: string) => void) | undefined;
}

/** From how many files on a `generate` prints a progress line. */
const largeTree = 100;

/** What a `generate` run did. */
export interface GenerateReport {
  /**
   * The files generated below the template's `out` directories, relative to `cwd`: new and changed
   * ones, and with `clean: true` also those generated with the content they already had.
   */
  readonly files: readonly WrittenFile[];
  readonly elapsedMs: number;
  /** What buf printed on stderr although it succeeded (warnings), if anything. */
  readonly warnings: string;
}

/**
 * Runs `buf generate` with a generation template (or, given `protoc`, protoc with the template's
 * plugins), and reports the files it wrote. Fails with a `CliError` naming the problem: a missing
 * template or proto directory, a `.proto` error, a plugin error.
 *
 * ```ts
 * const report = await generate({ cwd: process.cwd(), buf: resolveBuf(__dirname) });
 * console.log(formatReport(report));
 * ```
 */
export async function generate(options: GenerateOptions): Promise<GenerateReport> {
  const started = performance.now();
  const { cwd } = options;
  const config = options.config ?? "buf.gen.yaml";
  const configPath = resolve(cwd, config);
  if (!existsSync(configPath)) {
    throw new CliError(`${config} not found in ${cwd}; pass --config FILE (a buf generation template)`);
  }
  if (options.protoPath !== undefined && !isDirectory(resolve(cwd, options.protoPath))) {
    throw new CliError(`--proto-path ${options.protoPath} is not a directory`);
  }
  const template = readTemplate(configPath, config);
  const outs = [...new Set(template.plugins.map((p) => p.out))];
  const before = snapshot(cwd, outs);
  // Generated into a scratch directory first: the out directories change only once every plugin
  // has succeeded, so a failed run (a .proto error, a bad option, a crash) leaves them as they were.
  const scratch = mkdtempSync(join(tmpdir(), "tsgrpc-generate-"));
  const staged = new Map(outs.map((out, i) => [out, join(scratch, `out-${i}`)]));
  const stagedOut = (out: string) => staged.get(out) ?? out;
  let warnings = "";
  try {
    await inScratch(scratch, staged, async () => {
      if (options.protoc !== undefined) {
        const root = resolve(cwd, options.protoPath ?? ".");
        const files = protoFiles(root, options.paths ?? [], cwd);
        if (files.length === 0) throw new CliError(`no .proto files found below ${options.protoPath ?? "."}`);
        if (files.length >= largeTree) options.onProgress?.(`generating ${files.length} .proto files with protoc…`);
        const plugins = template.plugins.map((plugin) => ({ ...plugin, out: stagedOut(plugin.out) }));
        await runProtoc({ protoc: options.protoc, root, files, plugins, cwd, named: template.plugins });
      } else {
        if (options.protoPath !== undefined) {
          const count = protoFiles(resolve(cwd, options.protoPath), options.paths ?? [], cwd).length;
          if (count >= largeTree) options.onProgress?.(`generating ${count} .proto files with buf…`);
        }
        const redirected = join(scratch, "buf.gen.yaml");
        writeFileSync(redirected, template.withOuts(stagedOut));
        warnings = await runBufGenerate(options, redirected);
      }
    });
    for (const [out, from] of staged) install(from, resolve(cwd, out), template.clean);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return {
    files: writtenFiles(before, snapshot(cwd, outs), template.clean),
    elapsedMs: performance.now() - started,
    warnings,
  };
}

/** Runs `work`; an error it throws speaks of the out directories, never of the scratch ones. */
async function inScratch(scratch: string, staged: ReadonlyMap<string, string>, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    const unstage = (line: string) => {
      let text = line;
      for (const [out, dir] of staged) text = text.split(dir).join(out);
      return text.split(join(scratch, "buf.gen.yaml")).join("buf.gen.yaml");
    };
    throw new CliError(unstage(error.message), error.details.map(unstage), error.exitCode);
  }
}

/**
 * Makes `to` hold what was generated in `from`: new and changed files are written, files with the
 * same content are left untouched (so the report can tell them apart), and with `clean` the files
 * no longer generated are removed.
 */
function install(from: string, to: string, clean: boolean): void {
  const generated = new Set(listFiles(from));
  for (const file of generated) {
    const content = readFileSync(join(from, file));
    const target = join(to, file);
    if (existsSync(target) && readFileSync(target).equals(content)) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  mkdirSync(to, { recursive: true });
  if (!clean) return;
  for (const file of listFiles(to)) if (!generated.has(file)) rmSync(join(to, file));
  removeEmptyDirectories(to);
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

function removeEmptyDirectories(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    removeEmptyDirectories(path);
    if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
  }
}

/** `buf generate` with the template; resolves to what buf warned about. */
async function runBufGenerate(options: GenerateOptions, configPath: string): Promise<string> {
  const args = [
    "generate",
    ...(options.protoPath === undefined ? [] : [options.protoPath]),
    "--template",
    configPath,
    ...(options.paths ?? []).flatMap((path) => ["--path", path]),
  ];
  const result = await runBuf(options.buf, args, options.cwd);
  if (result.exitCode !== 0) {
    const lines = diagnostics(result.stderr + result.stdout);
    const [first = `buf generate failed with exit code ${result.exitCode}`, ...rest] = lines;
    throw new CliError(first, rest);
  }
  return result.stderr.trim();
}

/**
 * A report for humans:
 *
 * ```
 * generated 3 files (12.4 kB, 1 unchanged) in 0.84 s
 *   gen/users/users_grpc.ts  4.1 kB
 *   gen/users/users_pb.ts    8.0 kB  unchanged
 * ```
 */
export function formatReport(report: GenerateReport): string {
  const total = report.files.reduce((sum, f) => sum + f.bytes, 0);
  const count = `${report.files.length} ${report.files.length === 1 ? "file" : "files"}`;
  const unchanged = report.files.filter((f) => !f.changed).length;
  const details = unchanged === 0 ? formatBytes(total) : `${formatBytes(total)}, ${unchanged} unchanged`;
  const lines = [`generated ${count} (${details}) in ${(report.elapsedMs / 1000).toFixed(2)} s`];
  const width = Math.max(0, ...report.files.map((f) => f.path.length));
  for (const file of report.files) {
    const size = formatBytes(file.bytes);
    lines.push(file.changed ? `  ${file.path.padEnd(width)}  ${size}` : `  ${file.path.padEnd(width)}  ${size.padEnd(7)}  unchanged`);
  }
  return lines.join("\n");
}

/** `812 B`, `12.4 kB`, `3.1 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) {
    return `${bytes} B`;
  }
  return bytes < 1_000_000 ? `${(bytes / 1000).toFixed(1)} kB` : `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** buf's error output as one message per line, without its `Failure: ` prefix. */
function diagnostics(output: string): string[] {
  return output
    .split("\n")
    .map((line) => line.trim().replace(/^Failure: /, ""))
    .filter((line) => line.length > 0);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
