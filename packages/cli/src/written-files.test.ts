import { writtenFiles } from "./written-files.js";

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
