// Runs the grpcio reference client (./grpcio-client.py, Python's grpcio on C-core) against a
// server: the C-core peer our servers are checked against. It sees whether each response arrived
// compressed, which no grpc-js client can.
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import type { CaseName, CaseResult } from "../interop-cases.js";
import { python, pythonStubs } from "./python.js";

const run = promisify(execFile);

/** How the grpcio client reaches the server. */
export interface GrpcioClientTarget {
  port: number;
  /** TLS, trusting this CA certificate file, expecting the certificate to name `hostOverride`. */
  tls?: { caFile: string; hostOverride: string } | undefined;
}

/** Runs `names` with the grpcio interop client against 127.0.0.1:`port`; one result per case, in order. */
export async function runGrpcioClientCases(
  protoDir: string,
  target: GrpcioClientTarget,
  names: readonly CaseName[],
): Promise<CaseResult[]> {
  const stubs = await pythonStubs(protoDir);
  try {
    const script = path.join(protoDir, "..", "src", "reference", "grpcio-client.py");
    const args = [script, "--server_port", String(target.port), "--stubs", stubs.dir, "--test_case", names.join(",")];
    if (target.tls) args.push("--use_tls", "--ca_file", target.tls.caFile, "--server_host_override", target.tls.hostOverride);
    // Exit status 1 means a case failed: the output says which.
    const { stdout } = await run(python, args, { timeout: 120_000 }).catch((error: { stdout?: string; code?: number; stderr?: string }) => {
      if (error.code === 1 && error.stdout) return { stdout: error.stdout };
      throw new Error(`the grpcio interop client failed: ${error.stderr ?? String(error)}`);
    });
    return names.map((name) => {
      const line = stdout.split("\n").find((l) => l === `PASS ${name}` || l.startsWith(`FAIL ${name}: `));
      if (line === undefined) return { name, passed: false, error: "no result line from the grpcio client" };
      return line.startsWith("PASS") ? { name, passed: true } : { name, passed: false, error: line.slice(`FAIL ${name}: `.length) };
    });
  } finally {
    stubs.remove();
  }
}
