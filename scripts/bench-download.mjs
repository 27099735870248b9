#!/usr/bin/env node
// `npm run bench:download`: the download benchmark of `npm run bench` on its own (scripts/bench/download.mjs), with
// the same options (`-- --quick`, `-- --size-mb N`, `-- --files N`, `-- --no-build`, `-- --keep`).
import { runMain } from './bench.mjs';

runMain(process.argv.slice(2), { fixedArgs: ['--only', 'download'] });
