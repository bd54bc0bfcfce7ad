// Runs before each test file of the grpc-js project (jest gives each file its own process.env copy).
process.env.TSGRPC_TEST_SERVER_TRANSPORT = "grpc-js";
