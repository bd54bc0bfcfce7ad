/** Sizes of a full and a quick (`--quick`) benchmark run, and the command line that picks them. */
import { parseArgs } from "node:util";

/** How much of each workload one run measures. */
export interface RunConfig {
  quick: boolean;
  rounds: number;
  unaryDurationMs: number;
  /**
   * Unmeasured calls before each unary measurement: a fresh process runs tsgrpc's deeper call path
   * in V8's lower tiers for its first few thousand calls (on Node 20 ~2–3× the CPU per call of
   * the steady state, against ~1.5× for the floor), so a short warm-up measures mostly the JIT.
   * Their CPU per call is reported on its own (the "Unary warm-up" table).
   */
  unaryWarmupCalls: number;
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
  /** Unary calls made under strace (`--strace`). */
  straceCalls: number;
}

/** The sizes. */
export const fullConfig: RunConfig = {
  quick: false,
  rounds: 5,
  unaryDurationMs: 3000,
  unaryWarmupCalls: 10_000,
  serverStreamCount: 200_000,
  clientStreamCount: 200_000,
  bidiCount: 20_000,
  slowConsumerCount: 1_000_000,
  slowConsumerDurationMs: 2000,
  codecDurationMs: 2000,
  codegenFullCorpus: true,
  codegenRounds: 1,
  straceCalls: 5000,
};

/**
 * Smaller sizes, same shape. Unary keeps a second per measurement: the server's CPU time comes
 * in 10 ms ticks, which a shorter interval would make too coarse.
 */
export const quickConfig: RunConfig = {
  quick: true,
  rounds: 3,
  unaryDurationMs: 1000,
  unaryWarmupCalls: 3000,
  serverStreamCount: 10_000,
  clientStreamCount: 10_000,
  bidiCount: 1_000,
  slowConsumerCount: 1_000_000,
  slowConsumerDurationMs: 400,
  codecDurationMs: 150,
  codegenFullCorpus: false,
  codegenRounds: 3,
  straceCalls: 1000,
};

/** The workloads `--only` can pick. */
export const workloadNames = ["unary", "streaming", "codec", "slow-consumer", "scale-out", "codegen"] as const;
export type WorkloadName = (typeof workloadNames)[number];

/** What the command line asked for. */
export interface BenchOptions {
  config: RunConfig;
  /** The workloads to run (all unless `--only`). */
  workloads: ReadonlySet<WorkloadName>;
  /** Implementation ids to run (all unless `--impl`). */
  impls: readonly string[] | null;
  /** `--node 22`: the Node version (a major or an exact version) of server and client processes. */
  node: string | null;
  /** `--strace`: count system calls per unary call. */
  strace: boolean;
  /** A run of part of the implementations (`--impl`): it leaves docs/benchmarks.md alone. */
  partial: boolean;
  /** The command as the report names it. */
  command: string;
}

/** Parses the arguments of `npm run bench -- …`; throws a one-line error naming a bad option. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      impl: { type: "string" },
      rounds: { type: "string" },
      node: { type: "string" },
      strace: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const base = values.quick ? quickConfig : fullConfig;
  let rounds = base.rounds;
  if (values.rounds !== undefined) {
    rounds = Number(values.rounds);
    if (!Number.isInteger(rounds) || rounds < 1)
      throw new Error(`--rounds must be a positive integer, got ${JSON.stringify(values.rounds)}`);
  }
  const list = (value: string | undefined) =>
    value === undefined
      ? null
      : value
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
  const only = list(values.only);
  for (const name of only ?? []) {
    if (!(workloadNames as readonly string[]).includes(name))
      throw new Error(`--only: unknown workload ${JSON.stringify(name)} (one of ${workloadNames.join(", ")})`);
  }
  if (values.node !== undefined && !/^\d+(\.\d+\.\d+)?$/.test(values.node)) {
    throw new Error(`--node must be a major version (22) or an exact one (24.11.1), got ${JSON.stringify(values.node)}`);
  }
  const impls = list(values.impl);
  const command = ["npm run bench", ...(argv.length ? ["--", ...argv] : [])].join(" ");
  return {
    config: { ...base, rounds },
    workloads: new Set((only ?? workloadNames) as WorkloadName[]),
    impls,
    node: values.node ?? null,
    strace: values.strace ?? false,
    partial: impls !== null,
    command,
  };
}
