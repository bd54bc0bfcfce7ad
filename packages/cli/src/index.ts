// The tsgrpc command line as a library; `main` (./main.js) is the command line itself.
export { main, exitCodes, type MainEnvironment } from "./main.js";
export { generate, formatReport, formatBytes, type GenerateOptions, type GenerateReport } from "./generate.js";
export { check, formatCheck, isClean, type CheckReport, type StaleFile } from "./check.js";
export { init, formatInit, type InitReport } from "./init.js";
export { initFiles, initScripts } from "./init-files.js";
export { readTemplate, type Template, type TemplatePlugin } from "./template.js";
export { findProtoc } from "./protoc.js";
export { resolveBuf, runBuf, bufModule, type BufResult } from "./buf.js";
export { CliError } from "./cli-error.js";
export type { WrittenFile } from "./written-files.js";
export { cliVersion } from "./version.js";
