import yargs from "yargs";
import { resolveBuf } from "./buf.js";
import { CliError } from "./cli-error.js";
import { formatReport, generate } from "./generate.js";
import { cliVersion } from "./version.js";

/** Where the command line runs: injected by the bin, so tests and embedders can vary it. */
export interface MainEnvironment {
  /** The directory buf is resolved from (the bin's own, so the bundled buf is used). */
  readonly bufFrom: string;
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/**
 * The `tsgrpc` command line. Resolves to the process exit code; never throws. Commands:
 *
 * - `tsgrpc generate [--config buf.gen.yaml] [--proto-path DIR] [paths…]`: `buf generate`, with
 *   the buf of the `@bufbuild/buf` package, then a report of the files written.
 */
export async function main(argv: readonly string[], env: MainEnvironment): Promise<number> {
  let exitCode = 0;
  let verbose = false;
  const fail = (command: string, error: unknown): void => {
    exitCode = error instanceof CliError ? error.exitCode : 1;
    if (error instanceof CliError) {
      env.stderr(`${command}: ${error.message}\n`);
      for (const line of error.details) {
        env.stderr(`  ${line}\n`);
      }
    } else if (verbose) {
      env.stderr(`${command}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    } else {
      env.stderr(`${command}: internal error: ${error instanceof Error ? error.message : String(error)} (--verbose shows the stack)\n`);
    }
  };
  const cli = yargs([...argv])
    .scriptName("tsgrpc")
    .usage("$0 <command> [options]")
    .option("verbose", { type: "boolean", default: false, describe: "Show stack traces of internal errors" })
    .middleware((args) => {
      verbose = args.verbose;
    })
    .command(
      "generate [paths..]",
      "Generate code with buf generate and a buf.gen.yaml",
      (y) =>
        y
          .positional("paths", { type: "string", array: true, describe: "Generate only these .proto files or directories" })
          .option("config", { type: "string", default: "buf.gen.yaml", describe: "The buf generation template" })
          .option("proto-path", { type: "string", describe: "The directory of .proto files (or buf module) to generate from" })
          .example("$0 generate", "Generate what buf.gen.yaml describes")
          .example("$0 generate --proto-path proto proto/users/users.proto", "Generate one file"),
      async (args) => {
        try {
          const report = await generate({
            cwd: env.cwd,
            buf: resolveBuf(env.bufFrom),
            config: args.config,
            protoPath: args["proto-path"],
            paths: args.paths,
          });
          if (report.warnings.length > 0) {
            env.stderr(`${report.warnings}\n`);
          }
          env.stdout(`${formatReport(report)}\n`);
        } catch (error) {
          fail("tsgrpc generate", error);
        }
      },
    )
    .demandCommand(1, "name a command: tsgrpc generate")
    .strict()
    .version(cliVersion)
    .help()
    .alias("h", "help")
    .wrap(null)
    .exitProcess(false)
    .fail((message, error) => {
      // Throwing stops yargs; a fail handler that returns lets it run the command anyway.
      throw error ?? new CliError(`${message ?? "invalid arguments"} (tsgrpc --help lists the options)`);
    });
  try {
    await cli.parseAsync();
  } catch (error) {
    fail("tsgrpc", error);
  }
  return exitCode;
}
