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
    { path: "b.ts", bytes: 10 },
    { path: "d.ts", bytes: 5 },
  ]);
});
