import { fullConfig, parseOptions, quickConfig } from "./config.js";

test("no arguments: every workload, the full sizes, the docs written", () => {
  const options = parseOptions([]);
  expect(options.config).toEqual(fullConfig);
  expect([...options.workloads]).toEqual(["unary", "streaming", "codec", "slow-consumer", "scale-out", "codegen"]);
  expect(options).toMatchObject({ impls: null, node: null, strace: false, partial: false, command: "npm run bench" });
});

test("--impl makes a partial run (--only does not: its docs say which workloads ran); --rounds and --quick set the sizes", () => {
  const options = parseOptions(["--quick", "--only", "unary", "--rounds", "2", "--impl", "floor,tsgrpc", "--strace", "--node", "24"]);
  expect(options.config).toEqual({ ...quickConfig, rounds: 2 });
  expect([...options.workloads]).toEqual(["unary"]);
  expect(options).toMatchObject({ impls: ["floor", "tsgrpc"], node: "24", strace: true, partial: true });
  expect(options.command).toBe("npm run bench -- --quick --only unary --rounds 2 --impl floor,tsgrpc --strace --node 24");
  expect(parseOptions(["--node", "22.11.0"]).node).toBe("22.11.0");
  expect(parseOptions(["--only", "unary,streaming"]).partial).toBe(false);
});

test("a bad option is an error that names it", () => {
  expect(() => parseOptions(["--only", "unary,nope"])).toThrow('--only: unknown workload "nope"');
  expect(() => parseOptions(["--rounds", "0"])).toThrow("--rounds must be a positive integer");
  expect(() => parseOptions(["--node", "latest"])).toThrow("--node must be a major version");
  expect(() => parseOptions(["--fast"])).toThrow(/--fast/);
});
