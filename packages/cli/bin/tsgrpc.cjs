#!/usr/bin/env node
"use strict";
// The command line runs from the ESM build; the CommonJS build serves `require("@tsgrpc/cli")`.
import("../dist/esm/main.js")
  .then(({ main }) =>
    main(process.argv.slice(2), {
      bufFrom: __dirname,
      cwd: process.cwd(),
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    }),
  )
  .then((code) => {
    process.exitCode = code;
  });
