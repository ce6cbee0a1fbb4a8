// Writes the run's pass/fail counts to .test-results.json so .ci/run can print them as its last line.
const { writeFileSync } = require('node:fs');

class CountReporter {
  onRunComplete(_contexts, results) {
    const counts = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
    };
    writeFileSync('.test-results.json', JSON.stringify(counts));
  }
}

module.exports = CountReporter;
