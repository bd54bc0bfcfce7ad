#!/usr/bin/env node
"use strict";
const { protocGenTs, runNodeJs } = require("../dist/cjs/index.js");

runNodeJs(protocGenTs);
