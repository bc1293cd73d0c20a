// Prints one plain closing line, "tests: N passed, N failed", after jest's own summary,
// so any CI log reader can tell how many tests ran.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    process.stdout.write(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed\n`);
  }
}
module.exports = SummaryReporter;
