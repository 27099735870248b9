import {
	canvasNode,
	eventually,
	launchChromium,
	screenName,
	screenshot,
	signIn,
	visibleToasts,
	watchPage,
} from '../support/e2e/browser';
import type { Browser, Page, PageProblems } from '../support/e2e/browser';
import { e2eInstance, n8n, sandboxControl } from '../support/e2e/n8n';
import type { N8nNode, N8nWorkflow } from '../support/e2e/n8n';

interface ResourceLocatorValue {
	__rl: true;
	mode: string;
	value: string;
	cachedResultName?: string;
}

interface SandboxGallery {
	id: string;
	name: string;
	totalItems?: number;
}

interface LoggedRequest {
	seq: number;
	method: string;
	path: string;
}

function isResourceLocator(value: unknown): value is ResourceLocatorValue {
	return typeof value === 'object' && value !== null && (value as { __rl?: unknown }).__rl === true;
}

// What a user sees in the node panel when something is wrong: issue markers next to parameters or the
// credential, a resource locator that could not load, an options list that failed.
const PANEL_ERROR_TEXTS = [/could not load/i, /error fetching options/i, /problem loading/i];

const STICKY_NOTE = 'n8n-nodes-base.stickyNote';

const importedWorkflows = () =>
	e2eInstance().workflows.filter((workflow): workflow is typeof workflow & { id: string } =>
		Boolean(workflow.id),
	);

describe('the editor, in headless chromium', () => {
	let browser: Browser;
	let page: Page;
	let problems: PageProblems;

	beforeAll(async () => {
		browser = await launchChromium();
		page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
		page.setDefaultTimeout(30000);
		problems = watchPage(page);
		await signIn(page);
		// The sign-in form asks who is signed in before anyone is: that 401 belongs to signing in.
		problems.failedCalls.length = 0;
	});

	afterAll(async () => {
		await browser?.close();
	});

	afterEach(() => {
		expect(problems.pageErrors).toEqual([]);
		expect(problems.failedCalls).toEqual([]);
	});

	async function openWorkflow(workflow: N8nWorkflow): Promise<void> {
		await page.goto(`${e2eInstance().n8nUrl}/workflow/${workflow.id}`);
		await page.getByTestId('canvas-node').first().waitFor();
		// Sticky notes are drawn on the canvas too, but not as nodes.
		const steps = workflow.nodes.filter((node) => node.type !== STICKY_NOTE).length;
		const nodesShown = await eventually(
			async () => await page.getByTestId('canvas-node').count(),
			(count) => count === steps,
		);
		expect(nodesShown).toBe(steps);
		// n8n greets a new instance with a checklist that covers part of the canvas.
		const checklistClose = page.getByTestId('suggested-actions-close');
		if (await checklistClose.isVisible()) await checklistClose.click();
	}

	async function openPanel(node: N8nNode): Promise<void> {
		await canvasNode(page, node.name).dblclick();
		const panel = page.getByTestId('ndv');
		await panel.waitFor();
		await panel.getByTestId('node-parameters').waitFor();
		const parameters = await eventually(
			async () => await panel.getByTestId('parameter-input').count(),
			(count) => count > 0,
		);
		expect(parameters).toBeGreaterThan(0);
		// Issues are computed after the parameters render; give them the time a user would.
		await page.waitForTimeout(750);
	}

	async function closePanel(): Promise<void> {
		await page.getByTestId('ndv-close-button').click();
		await page.getByTestId('ndv').waitFor({ state: 'hidden' });
	}

	/** Everything the panel of `node` shows that says something is wrong; empty when it renders cleanly. */
	async function panelProblems(node: N8nNode): Promise<string[]> {
		const panel = page.getByTestId('ndv');
		const found: string[] = [];
		const issueMarkers = await panel.getByTestId('parameter-issues').count();
		if (issueMarkers > 0) found.push(`${issueMarkers} parameter issue marker(s)`);
		if ((await panel.getByTestId('rlc-error-container').count()) > 0) {
			found.push(
				`resource locator error: ${await panel.getByTestId('rlc-error-container').first().innerText()}`,
			);
		}
		const text = await panel.getByTestId('node-parameters').innerText();
		for (const pattern of PANEL_ERROR_TEXTS) {
			if (pattern.test(text)) found.push(`panel says ${pattern}`);
		}
		for (const toast of await visibleToasts(page)) found.push(`toast: ${toast}`);

		for (const [type, reference] of Object.entries(node.credentials ?? {})) {
			const select = panel.getByTestId('node-credentials-select');
			if ((await select.count()) === 0) {
				found.push(`no credential select for ${type}`);
				continue;
			}
			const shown = await select.locator('input').first().inputValue();
			if (shown !== reference.name)
				found.push(`credential shows "${shown}", not "${reference.name}"`);
		}
		for (const [name, value] of Object.entries(node.parameters)) {
			if (!isResourceLocator(value) || value.mode !== 'list' || !value.cachedResultName) continue;
			const shown = await panel
				.getByTestId(`resource-locator-${name}`)
				.getByTestId('rlc-input')
				.inputValue();
			if (shown !== value.cachedResultName)
				found.push(`${name} shows "${shown}", not "${value.cachedResultName}"`);
		}
		return found;
	}

	test('signing in lands in the editor, not back on the sign-in form', async () => {
		expect(new URL(page.url()).pathname).not.toMatch(/^\/signin/);
		const sidebar = await eventually(
			async () => await page.getByTestId('main-sidebar-settings').count(),
			(count) => count > 0,
		);
		expect(sidebar).toBeGreaterThan(0);
	});

	test('every example workflow was imported', () => {
		expect(importedWorkflows().length).toBeGreaterThanOrEqual(3);
		expect(e2eInstance().workflows.filter((workflow) => workflow.skipped)).toEqual([]);
	});

	for (const { file } of e2eInstance().workflows) {
		const label = file
			.split('/')
			.pop()!
			.replace(/\.json$/, '');
		test(`${label}: the canvas and every node's panel render without issues`, async () => {
			const imported = e2eInstance().workflows.find((workflow) => workflow.file === file);
			expect(imported?.id).toBeDefined();
			const workflow = await n8n().getWorkflow(imported!.id!);
			await openWorkflow(workflow);
			expect(await page.getByTestId('node-issues').count()).toBe(0);
			await page.getByTestId('zoom-to-fit').click();
			// One step back from a tight fit keeps the lowest nodes clear of the Execute button.
			await page.getByTestId('zoom-out-button').click();
			await page.waitForTimeout(400);
			await screenshot(page, screenName(label, 'canvas'));

			// Sticky notes are canvas text with no panel (a double click edits them in place).
			const steps = workflow.nodes.filter((node) => node.type !== STICKY_NOTE);
			const report: Record<string, string[]> = {};
			for (const node of steps) {
				await openPanel(node);
				report[node.name] = await panelProblems(node);
				await screenshot(page, screenName(label, node.name));
				await closePanel();
			}
			const expected = Object.fromEntries(steps.map((node) => [node.name, []]));
			expect(report).toEqual(expected);
		});
	}

	test("a Pro Gallery node's Gallery list is filled from the sandbox, and search narrows it", async () => {
		const candidates = await Promise.all(
			importedWorkflows().map(async (workflow) => await n8n().getWorkflow(workflow.id)),
		);
		let found: { workflow: N8nWorkflow; node: N8nNode } | undefined;
		for (const workflow of candidates) {
			const node = workflow.nodes.find(
				(candidate) =>
					candidate.type.endsWith('.wixProGallery') &&
					isResourceLocator(candidate.parameters.galleryId) &&
					candidate.parameters.galleryId.mode === 'list',
			);
			if (node) found = { workflow, node };
			if (found) break;
		}
		expect(found).toBeDefined();
		const { workflow, node } = found!;

		const state = await sandboxControl<{ proGallery: { galleries: SandboxGallery[] } }>(
			'GET',
			'state',
		);
		const sandboxEntries = state.proGallery.galleries.map(
			(gallery) => `${gallery.name} (${gallery.totalItems ?? 0} items)`,
		);
		expect(sandboxEntries.length).toBeGreaterThan(1);
		const before = await sandboxControl<LoggedRequest[]>('GET', 'requests');
		const lastSeq = before.reduce((max, request) => Math.max(max, request.seq), 0);

		await openWorkflow(workflow);
		await openPanel(node);
		const locator = page.getByTestId('ndv').getByTestId('resource-locator-galleryId');
		await locator.getByTestId('rlc-input-container').click();
		const items = page.getByTestId('rlc-item');
		await items.first().waitFor();
		// The node reads galleries 10 at a time; more come when the list is scrolled. The list may still be
		// rendering its first page (seen on a busy machine), so its length is read until it settles.
		const expectedLength = Math.min(sandboxEntries.length, 10);
		const shown = await eventually(
			async () => (await items.allInnerTexts()).map((text) => text.trim()),
			(texts) => texts.length === expectedLength,
		);
		expect(shown.length).toBe(expectedLength);
		for (const entry of shown) expect(sandboxEntries).toContain(entry);
		await screenshot(page, screenName('pro-gallery', 'gallery-list'));

		const requests = await sandboxControl<LoggedRequest[]>('GET', 'requests');
		expect(
			requests.filter((request) => request.seq > lastSeq && /galleries/.test(request.path)).length,
		).toBeGreaterThan(0);

		const wanted = state.proGallery.galleries[1].name;
		await page.getByTestId('rlc-search').fill(wanted);
		const matching = sandboxEntries
			.filter((entry) => entry.toLowerCase().includes(wanted.toLowerCase()))
			.sort();
		// n8n keeps the gallery already chosen at the top of the list, whatever the search says.
		const chosen = (node.parameters.galleryId as ResourceLocatorValue).cachedResultName;
		const narrowed = await eventually(
			async () =>
				(await items.allInnerTexts())
					.map((text) => text.trim())
					.filter((text) => text !== chosen)
					.sort(),
			(texts) => JSON.stringify(texts) === JSON.stringify(matching),
		);
		expect(narrowed).toEqual(matching);
		expect(await visibleToasts(page)).toEqual([]);
		await page.keyboard.press('Escape');
		await closePanel();
	});

	test('a node whose credential is gone and whose gallery is empty is flagged, on the canvas and in its panel', async () => {
		const node: N8nNode = {
			name: 'Create Item Without Gallery',
			type: `${e2eInstance().packageName}.wixProGallery`,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				authentication: 'apiKey',
				resource: 'item',
				operation: 'create',
				galleryId: { __rl: true, mode: 'list', value: '' },
			},
			credentials: { wixGalleryApi: { id: 'no-such-credential', name: 'Deleted Wix credential' } },
		};
		const workflow = await n8n().createWorkflow({
			name: 'e2e: editor, a node with issues',
			nodes: [node],
			connections: {},
		});
		await openWorkflow(workflow);
		expect(await page.getByTestId('node-issues').count()).toBe(1);
		await openPanel(node);
		const found = await panelProblems(node);
		await screenshot(page, screenName('node-with-issues'));
		await closePanel();
		expect(found).toEqual([
			expect.stringMatching(/^1 parameter issue marker/),
			'credential shows "", not "Deleted Wix credential"',
		]);
	});
	test("a Shared Gallery node's member filters show the picked members, list the site's members and search them", async () => {
		const credential = e2eInstance().credentials.wixGalleryApi;
		expect(credential).toBeDefined();
		const members = await sandboxControl<{
			members: Array<{ id: string; profile: { nickname: string } }>;
		}>('GET', 'members');
		const byName = (name: string) =>
			members.members.find((member) => member.profile.nickname === name)!;
		const alice = byName('Alice Moreau');
		const bruno = byName('Bruno Keller');
		const pick = (member: { id: string; profile: { nickname: string } }) => ({
			member: {
				__rl: true,
				mode: 'list',
				value: member.id,
				cachedResultName: member.profile.nickname,
			},
		});
		const node: N8nNode = {
			name: 'Most Liked of Alice and Bruno',
			type: `${e2eInstance().packageName}.wixSharedGallery`,
			typeVersion: 2,
			position: [0, 0],
			parameters: {
				authentication: 'apiKey',
				resource: 'item',
				operation: 'query',
				filters: { createdBy: { members: [pick(alice), pick(bruno)] } },
				sortField: 'LIKE_COUNT',
				options: { includeProfiles: true },
			},
			credentials: { wixGalleryApi: { id: credential!.id, name: credential!.name } },
		};
		const workflow = await n8n().createWorkflow({
			name: 'e2e: editor, Shared Gallery members picked by name',
			nodes: [node],
			connections: {},
		});
		await openWorkflow(workflow);
		expect(await page.getByTestId('node-issues').count()).toBe(0);
		await openPanel(node);
		expect(await panelProblems(node)).toEqual([]);
		const pickers = page.getByTestId('ndv').getByTestId('resource-locator-member');
		expect(await pickers.count()).toBe(2);
		const shownNames = await Promise.all(
			[0, 1].map(async (index) => await pickers.nth(index).getByTestId('rlc-input').inputValue()),
		);
		expect(shownNames).toEqual(['Alice Moreau', 'Bruno Keller']);
		await screenshot(page, screenName('shared-gallery', 'member-filters'));

		await pickers.nth(1).getByTestId('rlc-input-container').click();
		const items = page.getByTestId('rlc-item');
		await items.first().waitFor();
		const listed = await eventually(
			async () => (await items.allInnerTexts()).map((text) => text.trim()),
			(texts) => texts.length >= members.members.length,
		);
		for (const member of members.members) {
			expect(listed.some((text) => text.startsWith(member.profile.nickname))).toBe(true);
		}
		expect(listed).toContain('Dora Lindqvist (private profile)');
		await screenshot(page, screenName('shared-gallery', 'member-list'));
		await page.getByTestId('rlc-search').fill('ali');
		// n8n keeps the member already chosen at the top of the list, whatever the search says.
		const narrowed = await eventually(
			async () =>
				(await items.allInnerTexts())
					.map((text) => text.trim())
					.filter((text) => text !== 'Bruno Keller')
					.sort(),
			(texts) => JSON.stringify(texts) === JSON.stringify(['Alice Moreau', 'Alicia Brandt']),
		);
		expect(narrowed).toEqual(['Alice Moreau', 'Alicia Brandt']);
		expect(await visibleToasts(page)).toEqual([]);
		await page.keyboard.press('Escape');
		await closePanel();
	});
});
