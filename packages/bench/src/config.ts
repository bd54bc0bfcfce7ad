/** Sizes of a full and a quick (`--quick`, under 2 minutes) benchmark run. */

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

/** Smaller sizes, same shape, for a run under 2 minutes. */
export const quickConfig: RunConfig = {
  quick: true,
  rounds: 3,
  unaryDurationMs: 300,
  unaryWarmupMs: 100,
  serverStreamCount: 10_000,
  clientStreamCount: 10_000,
  bidiCount: 1_000,
  slowConsumerCount: 1_000_000,
  slowConsumerDurationMs: 400,
  codecDurationMs: 150,
  codegenFullCorpus: false,
  codegenRounds: 3,
};
