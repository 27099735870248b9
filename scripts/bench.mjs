#!/usr/bin/env node
// `npm run bench`: the package's benchmarks in one run, on real n8n 2.41.1 and the Wix sandbox, each figure as a
// ratio against a reference measured in the same run:
//   download  Shared Gallery archive → binary items, against HTTP Request + Compression and against unzip,
//   listing   Pro Gallery Get Many (Return All), against a plain loop of the same HTTP calls,
//   trigger   signed deliveries to the Wix Gallery Trigger, against n8n's Webhook node,
//   upload    Item Create from binary, against the sandbox's own processing time,
//   mapping   Sync Filter Echoes of 1,000 items against 10,000 links, static data (workflow harness) and data table
//             (real n8n), against a plain Map loop and a plain loop of the same data table reads.
// One sandbox and one n8n user folder serve the whole run; every benchmark (and every download pipeline) starts on a
// freshly started n8n so that one's memory and garbage do not carry into the next. Prints one section per benchmark
// and a summary, writes test-output/bench/<benchmark>.json and bench.json. Figures never fail the run; a benchmark
// that could not run or produced wrong output does (exit 1).
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';

import { bootstrap } from './bootstrap.mjs';
import * as download from './bench/download.mjs';
import * as listing from './bench/listing.mjs';
import * as mapping from './bench/mapping.mjs';
import * as trigger from './bench/trigger.mjs';
import * as upload from './bench/upload.mjs';
import {
	BenchSetup,
	formatRatio,
	machineLine,
	REPO_ROOT,
	table,
	writeReport,
} from './bench/common.mjs';

const BENCHMARKS = { download, listing, trigger, upload, mapping };

const USAGE = `Usage: npm run bench [-- --only download,listing,trigger,upload,mapping] [-- --quick] [-- --no-build] [-- --keep]
  --only LIST  run only these benchmarks (comma-separated; default all, in the order above)
  --quick      a smoke run: download ${download.QUICK.sizeMb} MiB in ${download.QUICK.files} files, listing ${listing.QUICK.items} items × ${listing.QUICK.repeats} runs,
               trigger ${trigger.QUICK.deliveries} deliveries, upload ${upload.QUICK.images} images,
               mapping ${mapping.QUICK.items} items against ${mapping.QUICK.links} links
  --size-mb N  download: total size of the archive's files in MiB (default ${download.DEFAULTS.sizeMb})
  --files N    download: number of files (default ${download.DEFAULTS.files})
  --archives LIST  download: some of ${download.ARCHIVE_KEYS.join(', ')} (default both: the same media stored and deflated)
  --table-links N  mapping: also insert N links into a data table of their own and report its size against n8n's
               200 MB data table cap (default ${mapping.DEFAULTS.tableLinks}: left out; 100000 adds about 20 s)
  --no-build   use the package's dist/ and build/sandbox/ as they are
  --keep       keep the n8n user folder and the unzip folder (test-output/bench/work)`;

function parseArgs(argv) {
	const options = { only: Object.keys(BENCHMARKS), quick: false, build: true, keep: false };
	const download = {};
	const mappingSettings = {};
	for (let index = 0; index < argv.length; index++) {
		const [flag, inline] = argv[index].split(/=(.*)/s, 2);
		const text = () => inline ?? argv[++index];
		const number = () => {
			const value = Number(text());
			if (!Number.isFinite(value) || value <= 0)
				throw new Error(`${flag} needs a positive number\n${USAGE}`);
			return value;
		};
		if (flag === '--quick') options.quick = true;
		else if (flag === '--only') {
			options.only = String(text() ?? '')
				.split(',')
				.map((name) => name.trim())
				.filter(Boolean);
			const unknown = options.only.filter((name) => !BENCHMARKS[name]);
			if (unknown.length || options.only.length === 0)
				throw new Error(`--only takes some of ${Object.keys(BENCHMARKS).join(', ')}\n${USAGE}`);
		} else if (flag === '--size-mb') download.sizeMb = number();
		else if (flag === '--files') download.files = Math.round(number());
		else if (flag === '--archives') {
			download.archives = String(text() ?? '')
				.split(',')
				.map((name) => name.trim())
				.filter(Boolean);
			const known = BENCHMARKS.download.ARCHIVE_KEYS;
			if (download.archives.length === 0 || download.archives.some((name) => !known.includes(name)))
				throw new Error(`--archives takes some of ${known.join(', ')}\n${USAGE}`);
		} else if (flag === '--table-links') mappingSettings.tableLinks = Math.round(number());
		else if (flag === '--no-build') options.build = false;
		else if (flag === '--keep') options.keep = true;
		else if (flag === '--help' || flag === '-h') {
			console.log(USAGE);
			process.exit(0);
		} else throw new Error(`Unknown argument: ${argv[index]}\n${USAGE}`);
	}
	options.settings = Object.fromEntries(
		Object.entries(BENCHMARKS).map(([name, module]) => [
			name,
			{ ...(options.quick ? module.QUICK : module.DEFAULTS) },
		]),
	);
	Object.assign(options.settings.download, download, { keep: options.keep });
	Object.assign(options.settings.mapping, mappingSettings);
	return options;
}

function summaryTable(reports) {
	const rows = [['benchmark', 'figure', 'value', 'reference', 'ratio']];
	for (const [name, report] of Object.entries(reports)) {
		if (report.error) {
			rows.push([name, 'DID NOT RUN', report.error.split('\n')[0].slice(0, 100), '', '']);
			continue;
		}
		for (const entry of report.figures) {
			rows.push([
				name,
				entry.name,
				entry.text,
				entry.referenceText === undefined ? '' : `${entry.referenceText} (${entry.referenceName})`,
				entry.reference === undefined ? '' : formatRatio(entry.ratio),
			]);
		}
	}
	return table(rows);
}

/**
 * Runs the benchmarks asked for; `invokedAs` and `argv` make the command printed with the figures, `fixedArgs` are
 * options the entry script adds itself.
 */
export async function main(argv, invokedAs, fixedArgs = []) {
	const options = parseArgs([...fixedArgs, ...argv]);
	const command = `${invokedAs}${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
	const log = (line) => console.log(line);
	const started = Date.now();
	const setup = new BenchSetup(options, log);
	const reports = {};
	try {
		await setup.start();
		for (const name of options.only) {
			const module = BENCHMARKS[name];
			const benchStarted = Date.now();
			console.log(`\n======== ${name} ========`);
			try {
				const report = {
					command,
					date: new Date().toISOString(),
					machine: setup.machine,
					...(await module.run(setup, options.settings[name], log)),
				};
				report.seconds = Math.round((Date.now() - benchStarted) / 1000);
				reports[name] = report;
				const file = writeReport(name, report);
				console.log('');
				console.log(module.format(report));
				if (report.problems.length)
					console.log(`PROBLEMS:\n  ${report.problems.slice(0, 20).join('\n  ')}`);
				console.log(`results: ${relative(REPO_ROOT, file)} (${report.seconds} s)`);
			} catch (error) {
				console.log(`${name}: could not run: ${error.stack ?? error.message}`);
				reports[name] = { benchmark: name, error: error.message, stack: error.stack };
			}
		}
	} finally {
		await setup.stop();
	}

	const failed = Object.entries(reports).filter(
		([, report]) => report.error || report.problems.length,
	);
	console.log('\n======== summary ========');
	console.log(`${command}`);
	if (setup.machine) console.log(machineLine(setup.machine));
	console.log(options.quick ? 'quick run (smaller workloads, see --help)' : 'full workloads');
	console.log('');
	console.log(summaryTable(reports));
	console.log('');
	for (const [name, report] of Object.entries(reports))
		for (const goal of report.goals ?? []) console.log(`${name} goal: ${goal.text}`);
	const summary = {
		command,
		date: new Date(started).toISOString(),
		machine: setup.machine,
		quick: options.quick,
		settings: options.settings,
		totalSeconds: Math.round((Date.now() - started) / 1000),
		failed: failed.map(([name]) => name),
		benchmarks: reports,
	};
	const file = writeReport('bench', summary);
	console.log(`results: ${relative(REPO_ROOT, file)} (${summary.totalSeconds} s in all)`);
	if (failed.length)
		console.log(
			`FAILED (could not run or wrong output): ${failed.map(([name]) => name).join(', ')}`,
		);
	return failed.length ? 1 : 0;
}

function invokedAsFromNpm() {
	const event = process.env.npm_lifecycle_event;
	return event && /^bench/.test(event) ? `npm run ${event}` : 'node scripts/bench.mjs';
}

export function runMain(argv, { invokedAs = invokedAsFromNpm(), fixedArgs } = {}) {
	bootstrap();
	main(argv, invokedAs, fixedArgs).then(
		(code) => process.exit(code),
		(error) => {
			console.error(
				`bench: ${error.stack ?? error.message}${error.cause ? `\ncaused by: ${error.cause.stack ?? error.cause}` : ''}`,
			);
			process.exit(1);
		},
	);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) runMain(process.argv.slice(2));
