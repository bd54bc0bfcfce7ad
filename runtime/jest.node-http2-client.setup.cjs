// Runs before each test file of the node-http2 client projects (jest gives each file its own process.env copy).
process.env.TSGRPC_TEST_CLIENT_TRANSPORT = "node-http2";
