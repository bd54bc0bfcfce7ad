// `npm run interop:matrix`: runs every interop pairing and writes docs/interop.md from the results.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { makeTestCertificates } from "@tsgrpc/test-utils";
import { caseNames } from "./interop-cases.js";
import { type ExpectedFailure, runMatrix, verdict, wireCaseName } from "./matrix.js";

const protoDir = fileURLToPath(new URL("../proto", import.meta.url));
const docFile = fileURLToPath(new URL("../../../docs/interop.md", import.meta.url));

const columns = await runMatrix(protoDir, makeTestCertificates());
const rows = [...caseNames, wireCaseName];
const reasons = new Map<string, ExpectedFailure>();
const cell = (name: string, column: (typeof columns)[number]) => {
  const result = column.results.find((r) => r.name === name);
  if (!result) return "—";
  const expected = column.expected[name];
  const v = verdict(result, expected);
  if (v === "expected failure" && expected) reasons.set(name, expected);
  return v === "PASS" ? "✅ pass" : v === "expected failure" ? "⚠️ expected failure" : `❌ ${v}: ${result.error ?? ""}`;
};
const table = [
  `| case | ${columns.map((c) => c.title).join(" | ")} |`,
  `|---|${columns.map(() => "---").join("|")}|`,
  ...rows.map((name) => `| ${name} | ${columns.map((c) => cell(name, c)).join(" | ")} |`),
];
const unexpected = columns.flatMap((c) => c.results.filter((r) => !["PASS", "expected failure"].includes(verdict(r, c.expected[r.name]))));
const template = fileURLToPath(new URL("../interop.template.md", import.meta.url));
const doc = readFileSync(template, "utf8")
  .replace("{{matrix}}", table.join("\n"))
  .replace(
    "{{reasons}}",
    [...reasons].map(([name, failure]) => `- **${name}**: ${failure.reason}.`).join("\n"),
  );
writeFileSync(docFile, doc);
console.log(`wrote ${docFile}: ${unexpected.length} unexpected result(s)`);
process.exitCode = unexpected.length === 0 ? 0 : 1;
