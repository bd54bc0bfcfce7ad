// Ends a jest run with the plain closing line CI reads: "jest: N passed, N failed[, N skipped]".
// Written as the process exits, so that it comes after everything jest itself prints.
const { writeSync } = require("node:fs");

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const tail = skipped > 0 ? `, ${skipped} skipped` : "";
    const line = `jest: ${results.numPassedTests} passed, ${failed} failed${tail}\n`;
    process.once("exit", () => writeSync(2, line));
  }
}

module.exports = SummaryReporter;
