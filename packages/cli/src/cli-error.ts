/**
 * A failure the CLI reports as one line on stderr (`tsgrpc generate: …`) and a non-zero exit code,
 * without a stack trace. Anything else thrown is a bug and shows its stack with `--verbose`.
 */
export class CliError extends Error {
  override name = "CliError";

  constructor(
    message: string,
    /** Lines printed after the message, e.g. further compiler diagnostics. */
    readonly details: readonly string[] = [],
    /** The exit code of the process: 2 for errors (1 means `tsgrpc check` found stale code). */
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
