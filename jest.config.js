/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }],
	},
	testTimeout: 60000,
	maxWorkers: 2,
	// Workflow test files leave a worker with hundreds of MB of heap, and a worker that large takes longer than jest's
	// 500 ms to exit, so jest force-exits it; a worker past this limit is replaced between test files instead.
	workerIdleMemoryLimit: '400MB',
	reporters: ['default', '<rootDir>/test/summaryReporter.js'],
};
