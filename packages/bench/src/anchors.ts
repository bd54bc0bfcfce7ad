/**
 * Installs, generates and compiles the anchors' nested npm project (packages/bench/anchors). It is
 * not a workspace: its protoc-gen-* bins must not shadow ours. A step that fails marks the anchors
 * it concerns unavailable, with the reason, instead of stopping the run.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { RunnableImpl } from "./runner.js";

/** The system protoc, by absolute path (never a protoc from node_modules). */
export function systemProtoc(): string {
  return execFileSync("sh", ["-c", "command -v protoc"], { encoding: "utf8" }).trim();
}

function errorText(error: unknown): string {
  const stderr = (error as { stderr?: Buffer | string }).stderr?.toString().trim();
  return (stderr || (error instanceof Error ? error.message : String(error))).split("\n").slice(0, 3).join(" ");
}

/** Ensures the anchors project is installed (`npm ci`) and returns the anchors as runnable impls. */
export async function prepareAnchors(benchDir: string, log: (line: string) => void): Promise<RunnableImpl[]> {
  const dir = join(benchDir, "anchors");
  const dist = (file: string) => join(dir, "dist/anchors/src", file);
  const anchors: RunnableImpl[] = [
    { id: "nice-grpc", label: "nice-grpc + ts-proto", modulePath: dist("nice-grpc.js"), exportName: "impl" },
    { id: "connect", label: "Connect-ES v2 (connect-node, gRPC)", modulePath: dist("connect.js"), exportName: "impl" },
    { id: "protobuf-ts", label: "protobuf-ts (grpc-transport + grpc-backend)", modulePath: dist("protobuf-ts.js"), exportName: "impl" },
  ];
  const unavailable = (reason: string) => {
    for (const anchor of anchors) anchor.unavailable ??= reason;
    return anchors;
  };

  const installed = join(dir, "node_modules/.package-lock.json");
  if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(dir, "package-lock.json")).mtimeMs) {
    log("installing the anchors (npm ci in packages/bench/anchors)");
    try {
      execFileSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    } catch (error) {
      return unavailable(`could not install: ${errorText(error)}`);
    }
  }

  const protoc = systemProtoc();
  const bin = (name: string) => join(dir, "node_modules/.bin", name);
  const generators: [string[], string, string[]][] = [
    [
      ["nice-grpc"],
      "ts-proto",
      [
        `--plugin=protoc-gen-ts_proto=${bin("protoc-gen-ts_proto")}`,
        "--ts_proto_opt=outputServices=nice-grpc,outputServices=generic-definitions,useExactTypes=false,esModuleInterop=true",
      ],
    ],
    [["connect"], "es", [`--plugin=protoc-gen-es=${bin("protoc-gen-es")}`, "--es_opt=target=ts"]],
    [["protobuf-ts"], "protobuf-ts", [`--plugin=protoc-gen-pbts=${bin("protoc-gen-ts")}`, "--pbts_opt=server_generic"]],
  ];
  for (const [ids, out, args] of generators) {
    const outDir = join(dir, "src/gen", out);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const outFlag = out === "ts-proto" ? "--ts_proto_out" : out === "es" ? "--es_out" : "--pbts_out";
    try {
      execFileSync(protoc, ["-I", join(benchDir, "proto"), ...args, `${outFlag}=${outDir}`, "bench/v1/bench.proto"], {
        stdio: ["ignore", "ignore", "pipe"],
      });
    } catch (error) {
      for (const anchor of anchors) if (ids.includes(anchor.id)) anchor.unavailable ??= `could not generate code: ${errorText(error)}`;
    }
  }

  // The root's TypeScript: the anchors' own node_modules holds protobuf-ts's TypeScript 3.9.
  const tsc = join(benchDir, "../../node_modules/typescript/bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const out = (error as { stdout?: Buffer }).stdout?.toString() ?? "";
    for (const anchor of anchors) {
      const line = out.split("\n").find((text) => text.startsWith(`src/${anchor.id}.ts`));
      if (line) anchor.unavailable ??= `does not compile: ${line}`;
    }
    log(`anchors compiled with errors:\n${out}`);
  }
  for (const anchor of anchors) if (!existsSync(anchor.modulePath)) anchor.unavailable ??= "not built";
  return anchors;
}
