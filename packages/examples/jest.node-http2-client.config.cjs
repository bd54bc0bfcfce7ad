// The examples' client tests once more, on the node-http2 client transport (the one switch,
// TSGRPC_TEST_CLIENT_TRANSPORT, read by test-utils' insecureChannelUnderTest and startTestServer).
const preset = require("../../jest.preset.cjs")(__dirname);

module.exports = {
  ...preset,
  displayName: "packages/examples (node-http2 client)",
  testMatch: ["<rootDir>/src/{users,metrics,web,errors,interceptors,datastream}/*.int.test.ts", "!**/*.browser.int.test.ts"],
  setupFiles: ["<rootDir>/../../runtime/jest.node-http2-client.setup.cjs"],
};
