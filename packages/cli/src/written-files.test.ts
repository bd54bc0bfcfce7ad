import { cleansOutput, outDirectories, writtenFiles } from "./written-files.js";

test.each([
  ["version: v2\nplugins:\n  - local: protoc-gen-ts\n    out: gen\n", ["gen"]],
  ["plugins:\n  - local: x\n    out: \"src/gen\" # comment\n  - remote: y\n    out: 'other'\n", ["src/gen", "other"]],
  ["plugins:\n  - out: gen\n    local: x\n  - out: gen\n    local: y\n", ["gen"]],
  ['{"version":"v2","plugins":[{"local":"x","out":"json/gen"}]}', ["json/gen"]],
  ["version: v2\n", []],
])("outDirectories(%j)", (config, dirs) => {
  expect(outDirectories(config)).toEqual(dirs);
});

test("writtenFiles lists new and changed files", () => {
  const before = new Map([
    ["a.ts", { mtimeMs: 1, size: 10 }],
    ["b.ts", { mtimeMs: 1, size: 10 }],
    ["c.ts", { mtimeMs: 1, size: 10 }],
  ]);
  const after = new Map([
    ["d.ts", { mtimeMs: 2, size: 5 }],
    ["a.ts", { mtimeMs: 1, size: 10 }],
    ["b.ts", { mtimeMs: 2, size: 10 }],
  ]);
  expect(writtenFiles(before, after)).toEqual([
    { path: "b.ts", bytes: 10, changed: true },
    { path: "d.ts", bytes: 5, changed: true },
  ]);
  // With clean: true, buf deleted everything else: untouched files were generated unchanged.
  expect(writtenFiles(before, after, true)).toEqual([
    { path: "a.ts", bytes: 10, changed: false },
    { path: "b.ts", bytes: 10, changed: true },
    { path: "d.ts", bytes: 5, changed: true },
  ]);
});

test.each([
  ["version: v2\nclean: true\nplugins: []\n", true],
  ["version: v2\nclean: false\n", false],
  ["version: v2\n# clean: true\n", false],
  ['{"version":"v2","clean":true}', true],
])("cleansOutput(%j) is %j", (config, clean) => {
  expect(cleansOutput(config)).toBe(clean);
});
