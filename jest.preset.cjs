// Shared jest settings for every workspace: TypeScript through ts-jest (transpile only; `tsc` type-
// checks as its own step), workspace packages resolved to their sources so tests need no build.
const path = require("node:path");

const root = __dirname;

module.exports = (dir) => ({
  displayName: path.relative(root, dir),
  rootDir: dir,
  testEnvironment: "node",
  testMatch: ["<rootDir>/src/**/*.test.ts", "<rootDir>/test/**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: path.join(root, "tsconfig.jest.json") }],
  },
  moduleNameMapper: {
    "^@tsgrpc/runtime$": path.join(root, "runtime/src/index.ts"),
    "^@tsgrpc/runtime/(.*)$": path.join(root, "runtime/src/$1/index.ts"),
    "^@tsgrpc/test-utils$": path.join(root, "packages/test-utils/src/index.ts"),
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
});
