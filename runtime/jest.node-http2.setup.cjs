// Runs before each test file of the node-http2 project (jest gives each file its own process.env copy).
process.env.TSGRPC_TEST_SERVER_TRANSPORT = "node-http2";
