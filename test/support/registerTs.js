'use strict';
/**
 * Lets a plain `node` process (a child that a test starts, outside jest) require this repository's TypeScript:
 * `node -r ./test/support/registerTs.js some.child.ts`. Each .ts file is transpiled on load, file by file, the way
 * ts-jest does with isolatedModules (types are not checked here; `npm run typecheck` does that).
 */
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

// Transpiled files are kept by content hash, so that a child does not load the TypeScript compiler (seconds of
// CPU and megabytes of heap) for files an earlier child already transpiled.
const CACHE_DIR = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'test-child-ts');
// Part of every key: a change to this file (compiler options) or to the compiler's version transpiles anew.
const CACHE_SALT = createHash('sha256')
	.update(fs.readFileSync(__filename))
	.update(fs.readFileSync(require.resolve('typescript/package.json')))
	.digest('hex');
let ts;

function transpile(fileName) {
	const source = fs.readFileSync(fileName, 'utf8');
	const key = createHash('sha256')
		.update(CACHE_SALT)
		.update(fileName)
		.update('\0')
		.update(source)
		.digest('hex');
	const cached = path.join(CACHE_DIR, `${key}.js`);
	try {
		return fs.readFileSync(cached, 'utf8');
	} catch {
		// Not transpiled yet.
	}
	ts ??= require('typescript');
	const { outputText } = ts.transpileModule(source, {
		compilerOptions: compilerOptions(),
		fileName,
	});
	try {
		fs.mkdirSync(CACHE_DIR, { recursive: true });
		const partial = `${cached}.${process.pid}.tmp`;
		fs.writeFileSync(partial, outputText);
		fs.renameSync(partial, cached);
	} catch {
		// A cache that cannot be written only costs time.
	}
	return outputText;
}

const compilerOptions = () => ({
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2022,
	esModuleInterop: true,
	resolveJsonModule: true,
	useUnknownInCatchVariables: false,
	preserveConstEnums: true,
	inlineSourceMap: true,
	inlineSources: false,
});

// require() of an extension-less path tries the registered extensions in their order. .ts must come before .json,
// as in jest's moduleFileExtensions: `./WixProGallery.node` names WixProGallery.node.ts, not the codex file
// WixProGallery.node.json beside it.
const { '.json': loadJson, '.node': loadAddon } = Module._extensions;
delete Module._extensions['.json'];
delete Module._extensions['.node'];
Module._extensions['.ts'] = function loadTypeScript(module, fileName) {
	module._compile(transpile(fileName), fileName);
};
Module._extensions['.json'] = loadJson;
Module._extensions['.node'] = loadAddon;
