/**
 * Where a server writes what it reports: handler errors, as one line each (the first of a kind with
 * its stack, later ones as counts; see `ServerOptions.handlerErrorLogWindow`). `console` and pino,
 * winston or bunyan loggers fit as they are.
 *
 * @example
 * import pino from "pino";
 * const srv = server({ logger: pino() });
 */
export interface Logger {
  /** Reports one line. */
  error(message: string): void;
}

/** The default: each line becomes a process warning named `TsgrpcHandlerError` (printed to stderr). */
export const processWarningLogger: Logger = {
  error(message) {
    process.emitWarning(message, "TsgrpcHandlerError");
  },
};
