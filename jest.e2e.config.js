/**
 * End-to-end tests in real n8n 2.41.1 (`npm run test:e2e`): one n8n, with the packed package installed and the
 * Wix sandbox next to it, is started once for the whole run by test/e2e/globalSetup.mjs. Kept apart from `npm test`
 * (files are *.e2e.ts, which jest.config.js does not match) because it needs the n8n install in the cache.
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/e2e/globalSetup.mjs',
	globalTeardown: '<rootDir>/test/e2e/globalTeardown.mjs',
	// One n8n serves every file; running them one after another keeps their executions apart.
	maxWorkers: 1,
	testTimeout: 180000,
	reporters: ['default', '<rootDir>/test/summaryReporter.js'],
};
