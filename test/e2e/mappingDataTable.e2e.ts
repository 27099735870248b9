import type { N8nExecution, N8nNode } from '../support/e2e/n8n';
import {
	createAndRun,
	e2eInstance,
	manualWorkflow,
	n8n,
	nodeOutput,
	packageNodeType,
} from '../support/e2e/n8n';
import { activateWithWebhook, allExecutions, settledExecutions } from '../support/e2e/webhooks';

// The Sync node's n8n Data Table store in real n8n: links in a data table reached through n8n's public API,
// shared by workflows, safe under concurrent executions.

const SYNC = 'Wix Gallery Sync';

function dataTableCredential() {
	const credential = e2eInstance().credentials.wixGalleryN8nApi;
	if (!credential) throw new Error('no imported wixGalleryN8nApi credential');
	return { wixGalleryN8nApi: { id: credential.id, name: credential.name } };
}

function syncNode(mappingName: string, parameters: Record<string, unknown>): N8nNode {
	return {
		name: SYNC,
		type: packageNodeType('wixGallerySync'),
		typeVersion: 1,
		position: [440, 0],
		parameters: { resource: 'mapping', mappingStore: 'dataTable', mappingName, ...parameters },
		credentials: dataTableCredential(),
	};
}

/** A Code node that outputs the given items. */
function itemsNode(items: Array<Record<string, unknown>>): N8nNode {
	return {
		name: 'Items',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, 0],
		parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
	};
}

interface TableRow {
	id: number;
	linkKey: string;
	wixItemId: string | null;
	externalId: string | null;
	removed: boolean;
	revision: number;
	link: string;
}

async function tableRows(mappingName: string): Promise<TableRow[]> {
	const tables = (await n8n().api(
		'GET',
		`/data-tables?filter=${encodeURIComponent(JSON.stringify({ name: `Wix Gallery Sync: ${mappingName}` }))}`,
	)) as { data: Array<{ id: string; name: string }> };
	const table = tables.data.find(
		(candidate) => candidate.name === `Wix Gallery Sync: ${mappingName}`,
	);
	if (!table) return [];
	const rows: TableRow[] = [];
	let cursor = '';
	do {
		const page = (await n8n().api(
			'GET',
			`/data-tables/${table.id}/rows?limit=250${cursor ? `&cursor=${cursor}` : ''}`,
		)) as { data: TableRow[]; nextCursor?: string | null };
		rows.push(...page.data);
		cursor = page.nextCursor ?? '';
	} while (cursor);
	return rows;
}

async function tableId(mappingName: string): Promise<string> {
	const tables = (await n8n().api(
		'GET',
		`/data-tables?filter=${encodeURIComponent(JSON.stringify({ name: `Wix Gallery Sync: ${mappingName}` }))}`,
	)) as { data: Array<{ id: string }> };
	return tables.data[0].id;
}

/** Fails with n8n's error, not just the status, when the execution did not succeed. */
function expectSuccess(execution: N8nExecution): void {
	const error = execution.data?.resultData.error as
		| { message?: string; description?: string }
		| undefined;
	expect(error ? `${error.message}: ${error.description ?? ''}` : null).toBeNull();
	expect(execution.status).toBe('success');
}

describe('Wix Gallery Sync mapping in an n8n data table (real n8n)', () => {
	test('Record Link creates the table on first use; a second workflow looks the links up', async () => {
		const mapping = `e2e-dt-${Date.now()}`;
		const links = Array.from({ length: 30 }, (_, index) => ({
			wix: `wix-${index}`,
			ext: `ext-${index}`,
			title: `title ${index}`,
		}));
		const { execution } = await createAndRun(
			manualWorkflow('e2e: data table record', [
				itemsNode(links),
				syncNode(mapping, {
					operation: 'record',
					wixItemId: '={{ $json.wix }}',
					externalId: '={{ $json.ext }}',
					syncedFields: { field: [{ fieldName: 'title', value: '={{ $json.title }}' }] },
					changeFrom: 'wix',
				}),
			]),
		);
		expectSuccess(execution);
		expect(nodeOutput(execution, SYNC)).toHaveLength(30);

		const rows = await tableRows(mapping);
		expect(rows.map((row) => [row.wixItemId, row.externalId, row.removed]).sort()).toEqual(
			links.map((link) => [link.wix, link.ext, false]).sort(),
		);
		expect(JSON.parse(rows[0].link)).toEqual(
			expect.objectContaining({ fields: { title: expect.stringMatching(/^title /) } }),
		);

		// Another workflow, another execution: the links are there.
		const lookUp = await createAndRun(
			manualWorkflow('e2e: data table look up', [
				itemsNode([{ id: 'ext-7' }, { id: 'ext-unknown' }]),
				syncNode(mapping, { operation: 'lookUp', by: 'external', id: '={{ $json.id }}' }),
			]),
		);
		const found = lookUp.execution.data?.resultData.runData[SYNC][0].data?.main;
		expect(found?.[0]?.map((item) => item.json.sync)).toEqual([
			expect.objectContaining({ found: true, wixItemId: 'wix-7', externalId: 'ext-7' }),
		]);
		expect(found?.[1]?.map((item) => item.json.sync)).toEqual([
			expect.objectContaining({ found: false, externalId: 'ext-unknown' }),
		]);
	});

	test('the same create delivered 20 times at once passes once; the others are duplicates', async () => {
		const mapping = `e2e-dt-race-${Date.now()}`;
		const { workflow, url } = await activateWithWebhook({
			name: 'e2e: data table create race',
			nodes: [
				{
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					parameters: { httpMethod: 'POST', path: `dt-race-${Date.now()}` },
					webhookId: `dt-race-${Date.now()}`,
				},
				{
					...syncNode(mapping, {
						operation: 'filterEchoes',
						source: 'wix',
						itemId: '={{ $json.body.itemId }}',
						changeType: 'created',
						syncedFields: { field: [{ fieldName: 'title', value: '={{ $json.body.title }}' }] },
					}),
					position: [220, 0],
				},
			],
			connections: { Webhook: { main: [[{ node: SYNC, type: 'main', index: 0 }]] } },
		});
		try {
			// The table exists before the race, as it would in a running sync.
			const warmUp = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ itemId: 'warm-up', title: 'warm up' }),
			});
			expect(warmUp.status).toBe(200);
			await settledExecutions(workflow.id, 1);

			const answers = await Promise.all(
				Array.from({ length: 20 }, async () => {
					const response = await fetch(url, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ itemId: 'raced-item', title: 'raced' }),
					});
					return response.status;
				}),
			);
			expect(answers).toEqual(answers.map(() => 200));
			const executions = await settledExecutions(workflow.id, 21, 120000);
			expect(executions.filter((execution) => execution.status !== 'success')).toEqual([]);

			const reasons = executions
				.map((execution) => execution.data?.resultData.runData[SYNC]?.[0].data?.main ?? [])
				.filter((outputs) =>
					outputs.some((items) =>
						items?.some(
							(item) =>
								item.json.body && (item.json.body as { itemId?: string }).itemId === 'raced-item',
						),
					),
				)
				.map((outputs) =>
					outputs[0]?.length
						? 'create'
						: String(
								outputs[3]?.[0]?.json.sync &&
									(outputs[3][0].json.sync as { reason?: string }).reason,
							),
				);
			expect(reasons).toHaveLength(20);
			expect(reasons.filter((reason) => reason === 'create')).toHaveLength(1);
			expect(reasons.filter((reason) => reason === 'duplicate')).toHaveLength(19);

			const rows = (await tableRows(mapping)).filter((row) => row.wixItemId === 'raced-item');
			expect(rows).toHaveLength(1);
		} finally {
			await n8n().deactivateWorkflow(workflow.id);
		}
		expect((await allExecutions(workflow.id)).length).toBe(21);
	});

	test('a row that is not a link is skipped with a warning; the others still work', async () => {
		const mapping = `e2e-dt-bad-${Date.now()}`;
		const record = await createAndRun(
			manualWorkflow('e2e: data table good link', [
				itemsNode([{ wix: 'wix-good', ext: 'ext-good' }]),
				syncNode(mapping, {
					operation: 'record',
					wixItemId: '={{ $json.wix }}',
					externalId: '={{ $json.ext }}',
					syncedFields: { field: [{ fieldName: 'title', value: 'good' }] },
					changeFrom: 'wix',
				}),
			]),
		);
		expectSuccess(record.execution);
		await n8n().api('POST', `/data-tables/${await tableId(mapping)}/rows`, {
			data: [
				{
					linkKey: 'w:wix-bad',
					wixItemId: 'wix-bad',
					externalId: 'ext-bad',
					link: '{not json',
					revision: 1,
					removed: false,
				},
				{
					linkKey: '',
					wixItemId: null,
					externalId: null,
					link: null,
					revision: null,
					removed: false,
				},
			],
		});

		const list = await createAndRun(
			manualWorkflow('e2e: data table list with bad rows', [
				syncNode(mapping, { operation: 'list', outputFormat: 'items', includeRemoved: false }),
			]),
		);
		expectSuccess(list.execution);
		expect(nodeOutput(list.execution, SYNC).map((item) => item.json.wixItemId)).toEqual([
			'wix-good',
		]);
		const hints = (
			list.execution.data?.resultData.runData[SYNC]?.[0] as { hints?: Array<{ message: string }> }
		).hints;
		expect(hints?.map((hint) => hint.message)).toEqual([
			expect.stringMatching(
				/^Row \d+ of data table "Wix Gallery Sync: e2e-dt-bad-\d+" is not a valid link and was skipped$/,
			),
			expect.stringMatching(/^Row \d+ of data table .* was skipped$/),
		]);
	});
});
