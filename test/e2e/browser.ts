/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- e2e tests run in plain Node against a real n8n, never inside n8n */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, selectors } from 'playwright-core';
import type { Browser, Locator, Page } from 'playwright-core';

import { E2E_DIR, e2eInstance } from './support';

export type { Browser, Locator, Page };

export const SCREENS_DIR =
	process.env.WIX_E2E_SCREENS ?? join(E2E_DIR, 'screens');

/** Debian's chromium; playwright-core never downloads a browser of its own. */
export const CHROMIUM_PATH = process.env.WIX_E2E_CHROMIUM ?? '/usr/bin/chromium';

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

// n8n's editor marks its elements with data-test-id, not playwright's default data-testid.
let testIdAttributeSet = false;

export async function launchChromium(): Promise<Browser> {
	if (!existsSync(CHROMIUM_PATH)) {
		throw new Error(
			`${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install chromium) or set WIX_E2E_CHROMIUM`,
		);
	}
	if (!testIdAttributeSet) {
		selectors.setTestIdAttribute('data-test-id');
		testIdAttributeSet = true;
	}
	mkdirSync(SCREENS_DIR, { recursive: true });
	return await chromium.launch({
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: CHROMIUM_ARGS,
	});
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
