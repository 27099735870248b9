#!/usr/bin/env node
// Prints line counts per folder and the largest functions of the TypeScript sources, so that a structural change
// can be compared before and after: `node scripts/code-size.mjs [--top N] [--over LINES] [folder ...]`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ts = require('typescript');

const args = process.argv.slice(2);
let top = 15;
let over = 0;
const roots = [];
for (let i = 0; i < args.length; i++) {
	if (args[i] === '--top') top = Number(args[++i]);
	else if (args[i] === '--over') over = Number(args[++i]);
	else roots.push(args[i]);
}
if (roots.length === 0) roots.push('nodes', 'credentials', 'sandbox/src', 'test', 'scripts');

const repoRoot = new URL('..', import.meta.url).pathname;
const skip = new Set(['node_modules', 'dist', 'build', 'fixtures']);

function* files(dir) {
	for (const name of readdirSync(dir)) {
		if (skip.has(name)) continue;
		const path = join(dir, name);
		if (statSync(path).isDirectory()) yield* files(path);
		else if (/\.(ts|mjs|cjs|js)$/.test(name)) yield path;
	}
}

const folderLines = new Map();
const functions = [];
for (const root of roots) {
	for (const path of files(join(repoRoot, root))) {
		const text = readFileSync(path, 'utf8');
		const rel = relative(repoRoot, path);
		const lines = text.split('\n').length;
		const folder = rel.split('/').slice(0, -1).join('/');
		folderLines.set(folder, folderLines.get(folder) ?? { files: 0, lines: 0 });
		folderLines.get(folder).files++;
		folderLines.get(folder).lines += lines;
		const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
		const visit = (node) => {
			if (
				ts.isFunctionDeclaration(node) ||
				ts.isFunctionExpression(node) ||
				ts.isArrowFunction(node) ||
				ts.isMethodDeclaration(node)
			) {
				const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
				const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
				let name = node.name?.getText?.() ?? '';
				if (!name && node.parent && ts.isVariableDeclaration(node.parent))
					name = node.parent.name.getText();
				if (!name && node.parent && ts.isPropertyAssignment(node.parent))
					name = node.parent.name.getText();
				// Test bodies (describe/it callbacks) are not functions anyone reads as one.
				const isTestCallback =
					ts.isCallExpression(node.parent) &&
					/^(describe|it|test|beforeAll|afterAll|beforeEach|afterEach)\b/.test(
						node.parent.expression.getText(),
					);
				if (!isTestCallback)
					functions.push({
						where: `${rel}:${start + 1}`,
						name: name || '(anonymous)',
						lines: end - start + 1,
					});
			}
			ts.forEachChild(node, visit);
		};
		visit(source);
	}
}

console.log('folder\tfiles\tlines');
for (const [folder, { files: count, lines }] of [...folderLines].sort())
	console.log(`${folder}\t${count}\t${lines}`);
const total = [...folderLines.values()].reduce((sum, f) => sum + f.lines, 0);
console.log(`total\t\t${total}`);
console.log('');
functions.sort((a, b) => b.lines - a.lines);
const shown = over > 0 ? functions.filter((f) => f.lines > over) : functions.slice(0, top);
console.log(
	over > 0 ? `functions over ${over} lines: ${shown.length}` : `largest ${top} functions`,
);
for (const f of shown) console.log(`${f.lines}\t${f.name}\t${f.where}`);
