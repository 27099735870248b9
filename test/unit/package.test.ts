/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests run in plain Node, never inside n8n */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

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

	it("lets a node import its own folder and the shared layers, never another node's folder", () => {
		const nodesDir = join(root, 'nodes');
		const crossings: string[] = [];
		for (const file of sourceFiles(nodesDir)) {
			const [ownFolder] = relative(nodesDir, file).split(sep);
			for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']*)'/g)) {
				const target = relative(nodesDir, resolve(dirname(file), specifier));
				const [targetFolder] = target.split(sep);
				if (target.startsWith('..')) crossings.push(`${relative(root, file)} → ${specifier}`);
				else if (targetFolder !== ownFolder && targetFolder !== 'shared')
					crossings.push(`${relative(root, file)} → ${specifier}`);
			}
		}
		expect(crossings).toEqual([]);
	});

	it('keeps nodes/shared/ for code that more than one node uses', () => {
		const nodesDir = join(root, 'nodes');
		const users = new Map<string, Set<string>>();
		for (const file of sourceFiles(nodesDir)) {
			const [ownFolder] = relative(nodesDir, file).split(sep);
			if (ownFolder === 'shared') continue;
			for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']*)'/g)) {
				const target = relative(join(nodesDir, 'shared'), resolve(dirname(file), specifier));
				if (target.startsWith('..')) continue;
				const [module] = target.split(sep);
				if (!users.has(module)) users.set(module, new Set());
				users.get(module)!.add(ownFolder);
			}
		}
		const singleUser = [...users].filter(([, nodes]) => nodes.size < 2).map(([module]) => module);
		expect(singleUser).toEqual([]);
	});
});
