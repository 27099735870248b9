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
	reporters: ['default', '<rootDir>/test/summaryReporter.js'],
};
