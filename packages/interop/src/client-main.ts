// The interop client's command line: `npm run interop -- --server_port N [--test_case all] [--use_tls …]`.
import { readFileSync } from "node:fs";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { parseCaseNames, runCases } from "./interop-cases.js";
import { defaultCaFile, interopChannel } from "./interop-channel.js";

const argv = yargs(hideBin(process.argv))
  .scriptName("interop-client")
  .usage("$0 --server_port N [options]: runs gRPC interop cases against a TestService server")
  .option("server_host", { type: "string", default: "localhost", describe: "server host" })
  .option("server_port", { type: "number", demandOption: true, describe: "server port" })
  .option("test_case", { type: "string", default: "all", describe: "a case name, a comma list, or all" })
  .option("use_tls", { type: "boolean", default: false, describe: "connect with TLS" })
  .option("use_test_ca", { type: "boolean", default: false, describe: "trust the test CA (--ca_file) instead of the system roots" })
  .option("ca_file", { type: "string", default: defaultCaFile, describe: "the test CA's certificate (PEM)" })
  .option("server_host_override", { type: "string", describe: "the name the server's certificate carries" })
  .option("transport", {
    choices: ["grpc-js", "node-http2"] as const,
    describe: "the client transport (the runtime's default if not given)",
  })
  .strict()
  .parseSync();

const channel = interopChannel({
  host: argv.server_host,
  port: argv.server_port,
  useTls: argv.use_tls,
  testCa: argv.use_test_ca ? readFileSync(argv.ca_file) : undefined,
  hostOverride: argv.server_host_override,
  transport: argv.transport,
});
try {
  const results = await runCases(channel, parseCaseNames(argv.test_case), (result) => {
    console.log(result.passed ? `PASS ${result.name}` : `FAIL ${result.name}: ${result.error}`);
  });
  const failed = results.filter((result) => !result.passed).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
} finally {
  channel.close();
}
