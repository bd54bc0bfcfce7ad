import { caseNames } from "./interop-cases.js";
import { type MatrixColumn, verdict, wireCaseName } from "./matrix.js";

/** A matrix column a suite checks, and whether it carries the wire check. */
export interface ColumnSpec {
  title: string;
  /** The column has the `server_compressed_unary (flag on the wire)` row. */
  wire?: boolean;
}

/**
 * Registers the jest tests of matrix columns, for the suites that run them: each column runs every
 * case (and the wire check where it has it), and each passes or fails for its documented reason;
 * an expected failure that starts passing fails too.
 */
export function describeColumns(specs: readonly ColumnSpec[], columns: () => MatrixColumn[]): void {
  describe.each(specs)("$title", ({ title, wire }) => {
    const column = () => {
      const found = columns().find((c) => c.title === title);
      if (!found) throw new Error(`no column ${title}`);
      return found;
    };
    const rows: string[] = wire ? [...caseNames, wireCaseName] : [...caseNames];

    it("runs every case", () => {
      expect(column().results.map((r) => r.name as string)).toEqual(rows);
    });

    it.each(rows)("%s: passes, or fails for its documented reason", (name) => {
      const result = column().results.find((r) => r.name === name);
      const expected = column().expected[name];
      expect({ name, verdict: result && verdict(result, expected), error: result?.error }).toEqual({
        name,
        verdict: expected ? "expected failure" : "PASS",
        error: expected ? expect.stringMatching(expected.pattern) : undefined,
      });
    });
  });
}
