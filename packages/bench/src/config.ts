/** Sizes of a full and a quick (`--quick`) benchmark run. */

/** How much of each workload one run measures. */
export interface RunConfig {
  quick: boolean;
  rounds: number;
  unaryDurationMs: number;
  unaryWarmupMs: number;
  serverStreamCount: number;
  clientStreamCount: number;
  bidiCount: number;
  slowConsumerCount: number;
  slowConsumerDurationMs: number;
  codecDurationMs: number;
  /** Codegen on the whole googleapis corpus, or (quick) on google/rpc, google/type and google/longrunning. */
  codegenFullCorpus: boolean;
  /** Codegen rounds: a round of the whole corpus takes ~20 minutes here, so a full run does one. */
  codegenRounds: number;
}

/** The sizes. */
export const fullConfig: RunConfig = {
  quick: false,
  rounds: 5,
  unaryDurationMs: 3000,
  unaryWarmupMs: 500,
  serverStreamCount: 200_000,
  clientStreamCount: 200_000,
  bidiCount: 20_000,
  slowConsumerCount: 1_000_000,
  slowConsumerDurationMs: 2000,
  codecDurationMs: 2000,
  codegenFullCorpus: true,
  codegenRounds: 1,
};

/**
 * Smaller sizes, same shape. Unary keeps a second per measurement: the server's CPU time comes
 * in 10 ms ticks, which a shorter interval would make too coarse.
 */
export const quickConfig: RunConfig = {
  quick: true,
  rounds: 3,
  unaryDurationMs: 1000,
  unaryWarmupMs: 300,
  serverStreamCount: 10_000,
  clientStreamCount: 10_000,
  bidiCount: 1_000,
  slowConsumerCount: 1_000_000,
  slowConsumerDurationMs: 400,
  codecDurationMs: 150,
  codegenFullCorpus: false,
  codegenRounds: 3,
};
