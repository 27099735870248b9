/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- e2e tests run in plain Node against a real n8n, never inside n8n */
import { execFile } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { chromium, selectors } from 'playwright-core';
import type { Browser, Locator, Page } from 'playwright-core';

import { E2E_DIR, e2eInstance } from './n8n';

export type { Browser, Locator, Page };

export const SCREENS_DIR = process.env.WIX_E2E_SCREENS ?? join(E2E_DIR, 'screens');

/**
 * A system chromium to use instead of the one from the npm registry (@sparticuz/chromium), e.g. `/usr/bin/chromium`.
 * playwright-core never downloads a browser of its own.
 */
export const SYSTEM_CHROMIUM = process.env.WIX_E2E_CHROMIUM || undefined;

// As root, on a machine with a closed network: without the background-networking flags chromium keeps trying
// (and failing) to reach Google's hosts. playwright gives every launch a fresh, empty profile.
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/**
 * Flags @sparticuz/chromium recommends (for serverless platforms) that are left out here:
 * - `--single-process`: Lambda needs it; with playwright the browser dies once a browser context is closed
 *   (measured: the next `newContext()` never returns).
 * - `--headless=…`: playwright passes `--headless` itself.
 * - `--disable-features=…`, `--enable-features=…`: playwright passes its own lists (among them the features that
 *   call Google's hosts on startup); chromium reads one value of a switch given twice, so these could replace them.
 * - `--disable-web-security`, `--allow-running-insecure-content`: the editor must be checked under the same
 *   same-origin and mixed-content rules a user's browser applies.
 */
const SPARTICUZ_ARGS_LEFT_OUT = [
	/^--single-process$/,
	/^--headless(=|$)/,
	/^--(disable|enable)-features=/,
	/^--disable-web-security$/,
	/^--allow-running-insecure-content$/,
];

/** The cache folder scripts/n8n-install.mjs installs n8n into; the unpacked browser goes next to it. */
function cacheRoot(): string {
	return (
		process.env.WIX_GALLERY_CACHE ??
		join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-wix-gallery')
	);
}

// Runs in a child Node: @sparticuz/chromium is an ES module, which jest's CommonJS runtime cannot load. With
// `unpack` it inflates the browser (chromium, its fonts and SwiftShader) into $TMPDIR, which the caller points at a
// folder of its own. Prints the recommended flags, and the browser's path when unpacked.
const SPARTICUZ_CHILD = `
const { default: chromium } = await import(process.argv[1]);
chromium.setGraphicsMode = false;
const executablePath = process.argv[2] === 'unpack' ? await chromium.executablePath() : undefined;
process.stdout.write(JSON.stringify({ args: chromium.args, executablePath }));
`;

async function sparticuz(
	moduleFile: string,
	mode: 'args' | 'unpack',
	tmpDir?: string,
): Promise<{ args: string[]; executablePath?: string }> {
	const { stdout } = await promisify(execFile)(
		process.execPath,
		['--input-type=module', '-e', SPARTICUZ_CHILD, pathToFileURL(moduleFile).href, mode],
		{ env: { ...process.env, ...(tmpDir ? { TMPDIR: tmpDir } : {}) }, maxBuffer: 1 << 20 },
	);
	return JSON.parse(stdout) as { args: string[]; executablePath?: string };
}

interface BrowserChoice {
	executablePath: string;
	args: string[];
	env?: Record<string, string | undefined>;
	origin: string;
}

/**
 * The browser of the @sparticuz/chromium package, unpacked once per package version into the cache folder
 * (`<cache>/sparticuz-chromium-<version>`, about 210 MB). Left alone, the package unpacks into /tmp/chromium and
 * treats a file that is still being written by another process as ready; here every run that finds no browser
 * unpacks into a folder of its own next to the final one and renames it into place, which is atomic: when two runs
 * race, the first rename wins and the other run drops its copy and uses the winner's.
 */
async function npmChromium(): Promise<BrowserChoice> {
	const moduleFile = require.resolve('@sparticuz/chromium');
	const packageDir = join(dirname(moduleFile), '..');
	const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
		version: string;
	};
	const root = cacheRoot();
	const name = `sparticuz-chromium-${version}`;
	const dir = join(root, name);
	const executablePath = join(dir, 'chromium');
	let args: string[];
	if (existsSync(executablePath)) {
		({ args } = await sparticuz(moduleFile, 'args'));
	} else {
		mkdirSync(root, { recursive: true });
		// Copies left by runs killed while unpacking.
		for (const entry of readdirSync(root)) {
			const path = join(root, entry);
			if (entry.startsWith(`${name}.partial-`) && Date.now() - statSync(path).mtimeMs > 3600000) {
				rmSync(path, { recursive: true, force: true });
			}
		}
		const partial = mkdtempSync(join(root, `${name}.partial-`));
		try {
			const unpacked = await sparticuz(moduleFile, 'unpack', partial);
			if (unpacked.executablePath !== join(partial, 'chromium')) {
				throw new Error(
					`@sparticuz/chromium unpacked to ${unpacked.executablePath}, not into ${partial}`,
				);
			}
			args = unpacked.args;
			// The package's fonts.conf names /tmp/fonts; this one adds its fonts to the system's.
			writeFileSync(
				join(partial, 'fonts.conf'),
				[
					'<?xml version="1.0"?>',
					'<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
					'<fontconfig>',
					'\t<include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
					`\t<dir>${join(dir, 'fonts')}</dir>`,
					`\t<cachedir>${join(dir, 'fonts-cache')}</cachedir>`,
					'</fontconfig>',
					'',
				].join('\n'),
			);
			let renameError: unknown;
			try {
				renameSync(partial, dir);
			} catch (error) {
				// Fine when another run put its copy in place first.
				renameError = error;
			}
			if (!existsSync(executablePath)) {
				throw new Error(`could not move the unpacked chromium to ${dir}: ${String(renameError)}`);
			}
		} finally {
			rmSync(partial, { recursive: true, force: true });
		}
	}
	return {
		executablePath,
		args: [
			...CHROMIUM_ARGS,
			...args.filter(
				(arg) =>
					!CHROMIUM_ARGS.includes(arg) && !SPARTICUZ_ARGS_LEFT_OUT.some((left) => left.test(arg)),
			),
		],
		env: { ...process.env, FONTCONFIG_FILE: join(dir, 'fonts.conf') },
		origin: `@sparticuz/chromium ${version}`,
	};
}

// n8n's editor marks its elements with data-test-id, not playwright's default data-testid.
let testIdAttributeSet = false;

/** Headless chromium: the npm package's by default, the one at WIX_E2E_CHROMIUM when that is set. */
export async function launchChromium(): Promise<Browser> {
	let choice: BrowserChoice;
	if (SYSTEM_CHROMIUM) {
		if (!existsSync(SYSTEM_CHROMIUM)) {
			throw new Error(
				`WIX_E2E_CHROMIUM=${SYSTEM_CHROMIUM}: no such file; unset it to use the chromium of @sparticuz/chromium (npm)`,
			);
		}
		choice = { executablePath: SYSTEM_CHROMIUM, args: CHROMIUM_ARGS, origin: 'WIX_E2E_CHROMIUM' };
	} else {
		choice = await npmChromium();
	}
	if (!testIdAttributeSet) {
		selectors.setTestIdAttribute('data-test-id');
		testIdAttributeSet = true;
	}
	mkdirSync(SCREENS_DIR, { recursive: true });
	const browser = await chromium.launch({
		executablePath: choice.executablePath,
		headless: true,
		args: choice.args,
		...(choice.env ? { env: choice.env } : {}),
	});
	process.stderr.write(
		`== editor test browser: Chromium ${browser.version()} at ${choice.executablePath} (${choice.origin})\n`,
	);
	return browser;
}

/** What went wrong in the page while a test looked at it: uncaught errors and failed calls to n8n's API. */
export interface PageProblems {
	pageErrors: string[];
	failedCalls: string[];
}

/**
 * Records uncaught page errors and n8n API calls that fail. n8n's editor also asks for `/schemas/<node type>/…`
 * (output schemas a package may ship for its operations); this package ships none, so those 404s are expected
 * and left out.
 */
export function watchPage(page: Page): PageProblems {
	const problems: PageProblems = { pageErrors: [], failedCalls: [] };
	const origin = new URL(e2eInstance().n8nUrl).origin;
	page.on('pageerror', (error) => problems.pageErrors.push(error.message));
	page.on('response', (response) => {
		const url = new URL(response.url());
		if (url.origin !== origin || response.status() < 400) return;
		if (url.pathname.startsWith('/schemas/')) return;
		problems.failedCalls.push(
			`${response.status()} ${response.request().method()} ${url.pathname}`,
		);
	});
	return problems;
}

/** Signs in through n8n's own sign-in form, as the instance owner. */
export async function signIn(page: Page): Promise<void> {
	const { n8nUrl, owner } = e2eInstance();
	await page.goto(`${n8nUrl}/signin`);
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(owner.email);
	await page.getByTestId('password').locator('input').fill(owner.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60000 });
}

export function canvasNode(page: Page, name: string): Locator {
	return page.locator(
		`[data-test-id="canvas-node"][data-node-name="${name.replace(/"/g, '\\"')}"]`,
	);
}

/** Texts of the toasts n8n shows (element-plus notifications): none should appear while a workflow is only looked at. */
export async function visibleToasts(page: Page): Promise<string[]> {
	const toasts = page.locator('.el-notification:visible');
	return (await toasts.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
}

/** A file name for a screenshot: lower case, dashes. */
export function screenName(...parts: string[]): string {
	return `${parts
		.join('-')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')}.png`;
}

export async function screenshot(page: Page, name: string): Promise<string> {
	const path = join(SCREENS_DIR, name);
	await page.screenshot({ path });
	return path;
}

/** Reads until `accept` likes the value or time runs out, and returns the last value read for the test to assert on. */
export async function eventually<T>(
	read: () => Promise<T>,
	accept: (value: T) => boolean,
	timeoutMs = 15000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let value = await read();
	while (!accept(value) && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 150));
		value = await read();
	}
	return value;
}
