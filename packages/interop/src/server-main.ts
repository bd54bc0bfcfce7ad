// The interop server's command line: `npm run interop:server -- --port N [--use_tls] [--transport node-http2]`.
import { writeFileSync } from "node:fs";
import { serverTransportNames } from "@tsgrpc/runtime";
import { makeTestCertificates } from "@tsgrpc/test-utils";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { defaultCaFile } from "./interop-channel.js";
import { startInteropServer } from "./interop-server.js";

const argv = yargs(hideBin(process.argv))
  .scriptName("interop-server")
  .usage("$0 --port N [--use_tls] [--transport T]: serves grpc.testing.TestService")
  .option("port", { type: "number", demandOption: true, describe: "port to listen on (0: any free port)" })
  .option("use_tls", { type: "boolean", default: false, describe: "serve TLS with certificates made at start" })
  .option("transport", { choices: serverTransportNames, default: "node-http2" as const, describe: "the server transport" })
  .option("ca_file", { type: "string", default: defaultCaFile, describe: "with --use_tls: where to write the CA certificate" })
  .strict()
  .parseSync();
let tls;
if (argv.use_tls) {
  // Made fresh at each start, so no private key is ever committed; the certificate names
  // localhost and 127.0.0.1.
  const certificates = makeTestCertificates();
  writeFileSync(argv.ca_file, certificates.ca);
  tls = certificates.server;
}
const server = await startInteropServer({ port: argv.port, tls, transport: argv.transport });
console.log(`interop server (${argv.transport}) listening on port ${server.port}${tls ? ` (TLS, CA in ${argv.ca_file})` : ""}`);
const stop = () => void server.close();
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
await server.server.waitForTermination();
