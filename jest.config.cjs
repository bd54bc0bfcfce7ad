// One jest run over every workspace, so `npm test` ends with a single summary.
module.exports = {
  projects: [
    ...["runtime", "plugin", "packages/cli", "packages/examples", "packages/interop", "packages/bench"].map(
      (dir) => `<rootDir>/${dir}/jest.config.cjs`,
    ),
    // The server suites again, on the grpc-js server transport.
    "<rootDir>/runtime/jest.grpc-js.config.cjs",
    "<rootDir>/packages/examples/jest.grpc-js.config.cjs",
    // The client suites again, on the node-http2 client transport.
    "<rootDir>/runtime/jest.node-http2-client.config.cjs",
    "<rootDir>/packages/examples/jest.node-http2-client.config.cjs",
  ],
  // Real-server suites fail on leaked handles themselves (test-utils checkLeaksAfterAll), so a
  // leak must not also hang the run.
  forceExit: true,
  testTimeout: 30_000,
  reporters: ["default", "<rootDir>/packages/test-utils/summary-reporter.cjs"],
};
