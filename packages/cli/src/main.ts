import yargs from "yargs";
import { resolveBuf } from "./buf.js";
import { check, formatCheck, isClean } from "./check.js";
import { CliError } from "./cli-error.js";
import { didYouMean } from "./did-you-mean.js";
import { formatReport, type GenerateOptions, generate } from "./generate.js";
import { formatInit, init } from "./init.js";
import { findProtoc } from "./protoc.js";
import { cliVersion } from "./version.js";

/** Where the command line runs: injected by the bin, so tests and embedders can vary it. */
export interface MainEnvironment {
  /** The directory buf is resolved from (the bin's own, so the bundled buf is used). */
  readonly bufFrom: string;
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Exit codes: success, `check` found stale generated code, anything else failed. */
export const exitCodes = { ok: 0, stale: 1, error: 2 } as const;

/**
 * The `tsgrpc` command line. Resolves to the process exit code (see `exitCodes`); never throws.
 *
 * - `tsgrpc generate [--config buf.gen.yaml] [--proto-path DIR] [--protoc] [paths…]`
 * - `tsgrpc check [--config buf.gen.yaml] [--proto-path DIR] [--protoc] [paths…]`
 * - `tsgrpc init [--force]`
 */
export async function main(argv: readonly string[], env: MainEnvironment): Promise<number> {
  let exitCode: number = exitCodes.ok;
  let verbose = false;
  const fail = (command: string, error: unknown): void => {
    exitCode = error instanceof CliError ? error.exitCode : exitCodes.error;
    if (error instanceof CliError) {
      env.stderr(`${command}: ${error.message}\n`);
      for (const line of error.details) env.stderr(`  ${line}\n`);
    } else if (verbose) {
      env.stderr(`${command}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    } else {
      env.stderr(`${command}: internal error: ${error instanceof Error ? error.message : String(error)} (--verbose shows the stack)\n`);
    }
  };
  const generation = {
    config: { type: "string", default: "buf.gen.yaml", describe: "The buf generation template" },
    "proto-path": { type: "string", describe: "The directory of .proto files (or buf module) to generate from" },
    protoc: { type: "boolean", default: false, describe: "Run protoc (from PATH or $PROTOC) with the template's plugins instead of buf" },
  } as const;
  const generateOptions = (args: {
    config: string;
    "proto-path"?: string | undefined;
    protoc: boolean;
    paths?: string[] | undefined;
  }): GenerateOptions => ({
    cwd: env.cwd,
    buf: resolveBuf(env.bufFrom),
    config: args.config,
    protoPath: args["proto-path"],
    paths: args.paths,
    protoc: args.protoc ? findProtoc() : undefined,
    onProgress: (line) => env.stderr(`${line}\n`),
  });
  const cli = yargs([...argv])
    .scriptName("tsgrpc")
    .usage("$0 <command> [options]")
    .option("verbose", { type: "boolean", default: false, describe: "Show stack traces of internal errors" })
    .middleware((args) => {
      verbose = args.verbose;
    })
    .command(
      "generate [paths..]",
      "Generate code with buf generate (or protoc) and a buf.gen.yaml",
      (y) =>
        y
          .positional("paths", { type: "string", array: true, describe: "Generate only these .proto files or directories" })
          .options(generation)
          .example("$0 generate", "Generate what buf.gen.yaml describes")
          .example("$0 generate --proto-path proto proto/users/users.proto", "Generate one file")
          .example("$0 generate --protoc --proto-path proto", "Use protoc instead of buf"),
      async (args) => {
        try {
          const report = await generate(generateOptions(args));
          if (report.warnings.length > 0) env.stderr(`${report.warnings}\n`);
          env.stdout(`${formatReport(report)}\n`);
        } catch (error) {
          fail("tsgrpc generate", error);
        }
      },
    )
    .command(
      "check [paths..]",
      "Regenerate into a temporary directory and compare with the files on disk (for CI)",
      (y) =>
        y
          .positional("paths", { type: "string", array: true, describe: "Check only these .proto files or directories" })
          .options(generation)
          .example("$0 check", "Exit 1 with a diff when generated code is stale")
          .epilogue(
            "Exit codes: 0 up to date, 1 stale (a unified diff and the list of stale, missing and extra files are printed), 2 error.",
          ),
      async (args) => {
        try {
          const report = await check(generateOptions(args));
          env.stdout(`${formatCheck(report)}\n`);
          if (!isClean(report)) exitCode = exitCodes.stale;
        } catch (error) {
          fail("tsgrpc check", error);
        }
      },
    )
    .command(
      "init",
      "Set this directory up for tsgrpc: buf.yaml, buf.gen.yaml, an example .proto and npm scripts",
      (y) =>
        y
          .option("force", { type: "boolean", default: false, describe: "Overwrite existing files and scripts" })
          .example("$0 init", "Then: npm run generate"),
      (args) => {
        try {
          env.stdout(`${formatInit(init({ cwd: env.cwd, force: args.force }))}\n`);
        } catch (error) {
          fail("tsgrpc init", error);
        }
      },
    )
    .demandCommand(1, "name a command: tsgrpc generate, check or init")
    .strict()
    .version(cliVersion)
    .help()
    .alias("h", "help")
    .epilogue("Exit codes: 0 success, 1 `check` found stale generated code, 2 error.")
    .wrap(null)
    .exitProcess(false)
    .fail((message, error) => {
      // Throwing stops yargs; a fail handler that returns lets it run the command anyway.
      if (error) throw error;
      const flags = [...Object.keys(generation), "force", "verbose", "help", "version"];
      throw new CliError(`${explainUnknown(message ?? "invalid arguments", flags)} (tsgrpc --help lists the options)`);
    });
  try {
    await cli.parseAsync();
  } catch (error) {
    fail("tsgrpc", error);
  }
  return exitCode;
}

/**
 * yargs's "Unknown arguments: proto-pth, protoPth" as the user typed it (without the camelCase
 * twin yargs adds), with a suggestion for a typo of a known flag.
 */
function explainUnknown(message: string, flags: readonly string[]): string {
  const listed = /^Unknown arguments?: (.+)$/.exec(message)?.[1];
  if (listed === undefined) return message;
  const names = listed.split(", ");
  const typed = names.filter((name) => !names.some((other) => other !== name && camelCase(other) === name));
  const [first = ""] = typed;
  return `Unknown argument${typed.length === 1 ? "" : "s"}: ${typed.join(", ")}${didYouMean(first, flags, (name) => `--${name}`)}`;
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
