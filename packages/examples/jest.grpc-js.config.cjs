// The examples' server tests once more, on the grpc-js server transport (the one switch,
// TSGRPC_TEST_SERVER_TRANSPORT, read by test-utils' serverUnderTest and startTestServer). The
// example programs' own servers (users/server.ts, secure/, datastream/) keep the default transport.
const preset = require("../../jest.preset.cjs")(__dirname);

module.exports = {
  ...preset,
  displayName: "packages/examples (grpc-js server)",
  testMatch: ["<rootDir>/src/{users,metrics,web,errors,interceptors}/*.int.test.ts", "!**/*.browser.int.test.ts"],
  setupFiles: ["<rootDir>/../../runtime/jest.grpc-js.setup.cjs"],
};
