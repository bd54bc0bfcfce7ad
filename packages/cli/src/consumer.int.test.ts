// A project outside this repository, as a user would set one up: the packed runtime, plugin and
// CLI installed from their tarballs, then `tsgrpc init`, `tsgrpc generate`, `tsc`, a server and a
// client, and `tsgrpc check` passing, then failing after a .proto edit. Once as an ES module
// project and once as a CommonJS one.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliBin, packTarballs, pluginBin, repoRoot, requireBuild } from "./__tests__/fixture-tree.js";

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cwd: string, command: string, ...args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, encoding: "utf8", timeout: 180_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr });
    });
  });
}

async function ok(cwd: string, command: string, ...args: string[]): Promise<string> {
  const result = await run(cwd, command, ...args);
  if (result.code !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const versions = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as {
  packages: Record<string, { version?: string }>;
};
const pinned = (name: string) => versions.packages[`node_modules/${name}`]?.version ?? "latest";

// The example program: a Greeter server and a client of it, in one process.
const program = `import { insecureChannel, server, type ServicerContext } from "@tsgrpc/runtime";
import { GreeterServicer, GreeterStub, addGreeterServicerToServer } from "./gen/greeter/v1/greeter_grpc.js";
import type { SayHelloRequest, SayHelloStreamRequest } from "./gen/greeter/v1/greeter_pb.js";

class Greeter extends GreeterServicer {
  override SayHello(request: SayHelloRequest) {
    return { message: \`hello \${request.name}\` };
  }
  override async *SayHelloStream(request: SayHelloStreamRequest, _context: ServicerContext) {
    for (const language of request.languages) yield { message: \`\${language}: \${request.name}\` };
  }
}

async function main(): Promise<void> {
  const srv = server();
  addGreeterServicerToServer(new Greeter(), srv);
  const port = await srv.addInsecurePort("127.0.0.1:0");
  await srv.start();
  const channel = insecureChannel(\`127.0.0.1:\${port}\`);
  const stub = new GreeterStub(channel);
  console.log((await stub.SayHello({ name: "tom" }, { timeout: 5 })).message);
  for await (const reply of stub.SayHelloStream({ name: "ann", languages: ["en", "fr"] })) console.log(reply.message);
  channel.close();
  await srv.stop(null);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

let tarballs: { runtime: string; plugin: string; cli: string };
let packDir: string;

beforeAll(async () => {
  requireBuild(cliBin, pluginBin);
  packDir = mkdtempSync(join(tmpdir(), "tsgrpc-pack-"));
  tarballs = packTarballs(packDir);
}, 120_000);
afterAll(() => rmSync(packDir, { recursive: true, force: true }));

test.each([
  ["ES module", "module"],
  ["CommonJS", "commonjs"],
])(
  "a %s project installs, generates, compiles, runs and checks",
  async (_name, type) => {
    const dir = mkdtempSync(join(tmpdir(), `tsgrpc-consumer-${type}-`));
    try {
      const file = (p: string) => `file:${p}`;
      writeFileSync(
        join(dir, "package.json"),
        JSON.stringify({
          name: `consumer-${type}`,
          private: true,
          dependencies: {
            "@tsgrpc/runtime": file(tarballs.runtime),
            "@bufbuild/protobuf": pinned("@bufbuild/protobuf"),
          },
          devDependencies: {
            "@tsgrpc/cli": file(tarballs.cli),
            "@tsgrpc/protoc-gen-ts": file(tarballs.plugin),
            typescript: pinned("typescript"),
            "@types/node": pinned("@types/node"),
          },
          // The tarballs depend on each other by version, which the registry does not have.
          overrides: { "@tsgrpc/runtime": file(tarballs.runtime), "@tsgrpc/protoc-gen-ts": file(tarballs.plugin) },
        }),
      );
      await ok(dir, "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
      expect(await ok(dir, "npx", "tsgrpc", "init")).toContain("wrote buf.gen.yaml");
      expect(await ok(dir, "npm", "run", "generate")).toContain("src/gen/greeter/v1/greeter_grpc.ts");
      // The starter's sources and tsconfig (getting-started.int.test.ts runs those) give way to a
      // program and a stricter config of this test's own, in the module system under test.
      const pkgPath = join(dir, "package.json");
      writeFileSync(pkgPath, JSON.stringify({ ...JSON.parse(readFileSync(pkgPath, "utf8")), type }));
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            module: "node16",
            strict: true,
            noUncheckedIndexedAccess: true,
            exactOptionalPropertyTypes: true,
            noImplicitOverride: true,
            skipLibCheck: false,
            outDir: "dist",
            rootDir: "src",
            types: ["node"],
          },
          include: ["src"],
        }),
      );
      rmSync(join(dir, "src", "greeter-service.ts"));
      writeFileSync(join(dir, "src", "main.ts"), program);
      await ok(dir, "npx", "tsc", "-p", ".");
      expect(await ok(dir, "node", "dist/main.js")).toBe("hello tom\nen: ann\nfr: ann\n");
      expect(await ok(dir, "npx", "tsgrpc", "check")).toContain("generated code is up to date");

      const proto = join(dir, "proto/greeter/v1/greeter.proto");
      writeFileSync(
        proto,
        readFileSync(proto, "utf8").replace(
          "message SayHelloRequest {\n  string name = 1;",
          "message SayHelloRequest {\n  string name = 1;\n  string title = 2;",
        ),
      );
      const stale = await run(dir, "npx", "tsgrpc", "check");
      expect(stale.code).toBe(1);
      expect(stale.stdout).toContain("stale    src/gen/greeter/v1/greeter_pb.ts");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  300_000,
);
