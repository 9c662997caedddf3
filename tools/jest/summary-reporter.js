// Ends a run with the plain "N passed, N failed" line CI reads, counting every
// test and every suite that failed to load, after the slowest suites (where a run's time goes).
const SLOWEST = 25;

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const durations = results.testResults
      .map((suite) => ({ path: suite.testFilePath, ms: suite.perfStats.end - suite.perfStats.start }))
      .filter((suite) => Number.isFinite(suite.ms) && suite.ms > 0)
      .sort((a, b) => b.ms - a.ms);
    const total = durations.reduce((sum, suite) => sum + suite.ms, 0);
    process.stdout.write(`\nslowest suites (of ${durations.length}, ${Math.round(total / 1000)} s in all):\n`);
    for (const suite of durations.slice(0, SLOWEST)) {
      process.stdout.write(
        `  ${(suite.ms / 1000).toFixed(1).padStart(7)} s  ${suite.path.replace(`${process.cwd()}/`, '')}\n`,
      );
    }
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = SummaryReporter;
