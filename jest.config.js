/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }],
	},
	testTimeout: 60000,
	// One process, no workers. Workflow test files leave 15-40 MB of heap each behind in the process that ran them
	// (n8n-core's state); a worker that large took 520-595 ms to exit, and jest force-exits a worker after 500 ms.
	// Replacing workers past a memory limit still got one force-exited with two CPU hogs running: in band nothing
	// has to exit early, whatever the load.
	maxWorkers: 1,
	reporters: ['default', '<rootDir>/test/summaryReporter.js'],
};
