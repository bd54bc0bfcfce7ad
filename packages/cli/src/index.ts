// The tsgrpc command line as a library. The command line itself (`main`, built on yargs, which is
// ESM-only) is in ./main.js and runs from the ESM build.
export { generate, formatReport, formatBytes, type GenerateOptions, type GenerateReport } from "./generate.js";
export { resolveBuf, runBuf, bufModule, type BufResult } from "./buf.js";
export { CliError } from "./cli-error.js";
export type { WrittenFile } from "./written-files.js";
export { cliVersion } from "./version.js";
