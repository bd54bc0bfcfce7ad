#!/usr/bin/env node
"use strict";
const { main } = require("../dist/cjs/main.js");

main(process.argv.slice(2), {
  bufFrom: __dirname,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});
