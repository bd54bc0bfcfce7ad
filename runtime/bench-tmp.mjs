import * as grpc from "@grpc/grpc-js";
import { insecureChannel, server, unaryUnaryRpcMethodHandler, methodHandlersGenericHandler } from "@tsgrpc/runtime";

const id = (b) => b;
const payload = Buffer.alloc(64, 1);
const mode = process.argv[2];
const conc = Number(process.argv[3] ?? 1);
const N = Number(process.argv[4] ?? 20000);

async function run(call) {
  let done = 0;
  const c0 = process.cpuUsage();
  await Promise.all(Array.from({ length: conc }, async () => { while (done < N) { done++; await call(); } }));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / N;
}

if (mode === "raw") {
  const s = new grpc.Server();
  s.register("/b.B/U", (call, cb) => cb(null, call.request), id, id, "unary");
  const port = await new Promise((r) => s.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => r(p)));
  const c = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = () => new Promise((res, rej) => c.makeUnaryRequest("/b.B/U", id, id, payload, (e, v) => (e ? rej(e) : res(v))));
  for (let i = 0; i < 200; i++) await call();
  console.log(`raw c=${conc}: ${(await run(call)).toFixed(0)} µs CPU/call`);
  c.close(); s.forceShutdown();
} else {
  const s = server();
  s.addRegisteredMethodHandlers("b.B", { U: unaryUnaryRpcMethodHandler((r) => r) });
  const port = await s.addInsecurePort("127.0.0.1:0");
  await s.start();
  const ch = insecureChannel(`127.0.0.1:${port}`);
  const m = { path: "/b.B/U", requestStream: false, responseStream: false, serializeRequest: id, deserializeRequest: id, serializeResponse: id, deserializeResponse: id };
  const u = ch.unaryUnary(m);
  const call = () => u(payload);
  for (let i = 0; i < 200; i++) await call();
  console.log(`tsgrpc c=${conc}: ${(await run(call)).toFixed(0)} µs CPU/call`);
  ch.close(); await s.stop(null);
}
