const { src, dest } = require('gulp');

// `n8n-node build` copies icons too; this task is for builds with plain `tsc` (e.g. `npm run build:watch`).
function buildIcons() {
	return src(['icons/**/*.{png,svg}', 'nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
