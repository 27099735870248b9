// Prints one plain closing line ("jest: N passed, N failed, N skipped") that CI reads whatever the runner. When
// scripts/test.mjs runs several jest runs in a row, it names a file here so that it can add the runs up.
const { appendFileSync } = require('node:fs');

class SummaryReporter {
	onRunComplete(_contexts, results) {
		const counts = {
			passed: results.numPassedTests,
			failed: results.numFailedTests,
			skipped: results.numPendingTests,
			suitesFailed: results.numFailedTestSuites,
		};
		process.stdout.write(
			`\njest: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
		);
		if (process.env.WIX_GALLERY_TEST_SUMMARY)
			appendFileSync(process.env.WIX_GALLERY_TEST_SUMMARY, `${JSON.stringify(counts)}\n`);
	}
}

module.exports = SummaryReporter;
