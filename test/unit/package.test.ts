/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run in plain Node, never inside n8n */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import * as packageExports from '../../index';

const root = join(__dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
	});
}

describe('package', () => {
	it('has no runtime dependencies and peers only on n8n-workflow', () => {
		expect(packageJson.dependencies ?? {}).toEqual({});
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(packageJson.keywords).toContain('n8n-community-node-package');
		expect(packageJson.license).toBe('MIT');
		expect(packageJson.files).toEqual(['dist']);
		expect(packageJson.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
	});

	it('registers every built node and credential, each backed by a source file and exported by index.ts', () => {
		const registered: string[] = [...packageJson.n8n.nodes, ...packageJson.n8n.credentials];
		expect(registered.length).toBeGreaterThan(0);
		for (const distPath of registered) {
			expect(distPath.startsWith('dist/')).toBe(true);
			const sourcePath = join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
			expect(existsSync(sourcePath)).toBe(true);
			const className = distPath.split('/').pop()!.split('.')[0];
			expect(packageExports).toHaveProperty(className);
		}
	});

	it('keeps the sandbox and test code out of the package code', () => {
		for (const file of [
			...sourceFiles(join(root, 'nodes')),
			...sourceFiles(join(root, 'credentials')),
		]) {
			const text = readFileSync(file, 'utf8');
			expect({
				file: relative(root, file),
				importsSandbox: /from '[./]*(sandbox|test)\//.test(text),
			}).toEqual({
				file: relative(root, file),
				importsSandbox: false,
			});
		}
	});
});
