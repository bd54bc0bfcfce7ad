// The tsgrpc command line as a library; `main` (./main.js) is the command line itself.

export { type BufResult, bufModule, resolveBuf, runBuf } from "./buf.js";
export { type CheckReport, check, formatCheck, isClean, type StaleFile } from "./check.js";
export { CliError } from "./cli-error.js";
export { formatBytes, formatReport, type GenerateOptions, type GenerateReport, generate } from "./generate.js";
export { formatInit, type InitReport, init } from "./init.js";
export { initFiles, initScripts } from "./init-files.js";
export { exitCodes, type MainEnvironment, main } from "./main.js";
export { findProtoc } from "./protoc.js";
export { readTemplate, type Template, type TemplatePlugin } from "./template.js";
export { cliVersion } from "./version.js";
export type { WrittenFile } from "./written-files.js";
