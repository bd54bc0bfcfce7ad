/** What `tsgrpc init` writes, relative to the project directory. */
export const initFiles: Readonly<Record<string, string>> = {
  "buf.yaml": `# The .proto files of this project (a buf module). See https://buf.build/docs/configuration/v2/buf-yaml
version: v2
modules:
  - path: proto
`,
  "buf.gen.yaml": `# How \`tsgrpc generate\` (buf generate) turns proto/ into TypeScript. One run of the tsgrpc
# plugin writes the messages (*_pb.ts, @bufbuild/protobuf) and the services (*_grpc.ts).
version: v2
clean: true
plugins:
  - local: protoc-gen-tsgrpc
    out: src/gen
`,
  "proto/greeter/v1/greeter.proto": `syntax = "proto3";

package greeter.v1;

// Greets people.
service Greeter {
  // Answers one greeting.
  rpc SayHello(SayHelloRequest) returns (SayHelloResponse);
  // Answers with one greeting per requested language, as a stream.
  rpc SayHelloStream(SayHelloStreamRequest) returns (stream SayHelloResponse);
}

message SayHelloRequest {
  string name = 1;
}

message SayHelloStreamRequest {
  string name = 1;
  repeated string languages = 2;
}

message SayHelloResponse {
  string message = 1;
}
`,
  "tsconfig.json": `{
  // What the generated code and the starter need; \`npm start\` compiles with it.
  "compilerOptions": {
    // ES2022 output downlevels \`using\` / \`await using\`, which Node 20 cannot parse yet.
    "target": "es2022",
    "lib": ["es2022", "esnext.disposable"],
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "exactOptionalPropertyTypes": true,
    "noImplicitOverride": true,
    "verbatimModuleSyntax": true,
    "skipLibCheck": true,
    "types": ["node"],
    "rootDir": "src",
    "outDir": "dist"
  },
  "include": ["src"]
}
`,
  "src/greeter-service.ts": `import type { ServicerContext } from "@tsgrpc/runtime";
import { GreeterServicer } from "./gen/greeter/v1/greeter_grpc.js";
import type { SayHelloRequest, SayHelloStreamRequest } from "./gen/greeter/v1/greeter_pb.js";

/** The Greeter service: every method the .proto declares and this class leaves out answers UNIMPLEMENTED. */
export class GreeterService extends GreeterServicer {
  override SayHello(request: SayHelloRequest, context: ServicerContext) {
    const caller = context.invocationMetadata().get("x-caller") ?? "someone";
    return { message: \`hello \${request.name} (asked by \${String(caller)})\` };
  }

  override async *SayHelloStream(request: SayHelloStreamRequest) {
    for (const language of request.languages) yield { message: \`\${language}: hello \${request.name}\` };
  }
}
`,
  "src/main.ts": `// A Greeter server and a client of it in one process: \`npm start\`.
import { insecureChannel, server } from "@tsgrpc/runtime";
import { addGreeterServicerToServer, GreeterStub } from "./gen/greeter/v1/greeter_grpc.js";
import { GreeterService } from "./greeter-service.js";

// \`await using\` stops the server, and \`using\` closes the channel, when main.ts ends.
await using srv = server();
addGreeterServicerToServer(new GreeterService(), srv);
const port = await srv.addInsecurePort("127.0.0.1:0");
await srv.start();

using channel = insecureChannel(\`127.0.0.1:\${port}\`);
const stub = new GreeterStub(channel);
// timeout in seconds, metadata as [key, value] pairs, as in grpcio.
const reply = await stub.SayHello({ name: "tom" }, { timeout: 5, metadata: [["x-caller", "main.ts"]] });
console.log(reply.message);
for await (const greeting of stub.SayHelloStream({ name: "ann", languages: ["en", "fr"] })) {
  console.log(greeting.message);
}
`,
};

/** The npm scripts `tsgrpc init` adds to package.json. */
export const initScripts: Readonly<Record<string, string>> = {
  generate: "tsgrpc generate",
  "check:generated": "tsgrpc check",
  build: "tsc -p .",
  start: "tsc -p . && node dist/main.js",
};
