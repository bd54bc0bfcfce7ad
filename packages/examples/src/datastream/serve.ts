// `node dist/datastream/serve.js --mode=blocking|offload [--port=50052] [--rows=1000000]`: the
// datastream server on its own, until Ctrl-C (or, when forked by the demo, until told "stop").
import { parseArgs } from "node:util";
import type { Mode } from "./data-service.js";
import { startDataServer } from "./server.js";

const { values } = parseArgs({
  options: {
    mode: { type: "string", default: "offload" },
    port: { type: "string", default: "50052" },
    rows: { type: "string", default: "1000000" },
  },
});
if (values.mode !== "blocking" && values.mode !== "offload") {
  console.error(`--mode must be blocking or offload, got ${values.mode}`);
  process.exit(2);
}
const data = await startDataServer({
  address: `127.0.0.1:${values.port}`,
  mode: values.mode as Mode,
  rows: Number(values.rows),
  workerFilename: new URL("./aggregate-worker.js", import.meta.url),
});
const stop = () => void data.close().then(() => process.disconnect?.());
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
process.on("message", (message) => message === "stop" && stop());
if (process.send) process.send({ port: data.port });
else console.log(`datastream server (${values.mode}) listening on port ${data.port}`);
