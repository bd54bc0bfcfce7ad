// `npm run interop:matrix`: runs every interop pairing and writes docs/interop.md from the results.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { makeTestCertificates } from "@tsgrpc/test-utils";
import { caseNames } from "./interop-cases.js";
import { type ExpectedFailure, runGrpcioClientMatrix, runGrpcioMatrix, runMatrix, verdict, wireCaseName } from "./matrix.js";

const protoDir = fileURLToPath(new URL("../proto", import.meta.url));
const docFile = fileURLToPath(new URL("../../../docs/interop.md", import.meta.url));

const certificates = makeTestCertificates();
const columns = [
  ...(await runMatrix(protoDir, certificates)),
  ...(await runGrpcioMatrix(protoDir, certificates)),
  ...(await runGrpcioClientMatrix(protoDir, certificates)),
];
const rows = [...caseNames, wireCaseName];
// One entry per case and reason, with the columns it explains (a case may fail for different
// reasons in different columns).
const reasons = new Map<string, { name: string; failure: ExpectedFailure; columns: string[] }>();
const cell = (name: string, column: (typeof columns)[number]) => {
  const result = column.results.find((r) => r.name === name);
  if (!result) return "—";
  const expected = column.expected[name];
  const v = verdict(result, expected);
  if (v === "expected failure" && expected) {
    const key = `${name}\n${expected.reason}`;
    const entry = reasons.get(key) ?? { name, failure: expected, columns: [] };
    entry.columns.push(column.title);
    reasons.set(key, entry);
  }
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
    [...reasons.values()].map(({ name, failure, columns: where }) => `- **${name}** (${where.join("; ")}): ${failure.reason}.`).join("\n"),
  );
writeFileSync(docFile, doc);
console.log(`wrote ${docFile}: ${unexpected.length} unexpected result(s)`);
process.exitCode = unexpected.length === 0 ? 0 : 1;
