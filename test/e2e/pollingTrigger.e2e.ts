import { sleep } from '../../scripts/n8n-client.cjs';
import type { N8nExecution, N8nNode, N8nWorkflow } from '../support/e2e/n8n';
import {
	credentialRef,
	n8n,
	n8nLogEntries,
	nodeOutput,
	packageNodeType,
	wixCall,
} from '../support/e2e/n8n';
import {
	allExecutions,
	borrowWebhookTargets,
	createGallery,
	settledExecutions,
} from '../support/e2e/webhooks';

// The polling trigger in n8n 2.41.1 as a site owner with only an API key runs it: an active workflow whose poll
// times are a custom cron, started by n8n's scheduler when the sandbox's gallery changes.

const POLLING_TRIGGER = 'Wix Gallery Polling Trigger';
const EVERY_MINUTE = '* * * * *';

interface WixItem {
	id: string;
	title?: string;
}

let galleryId: string;
let galleryName: string;
let keptItemId: string;
let workflow: N8nWorkflow | undefined;
let targets: { restore(): Promise<void> } | undefined;

function pollingTriggerNode(cronExpression: string): N8nNode {
	return {
		name: POLLING_TRIGGER,
		type: packageNodeType('wixGalleryPollingTrigger'),
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			pollTimes: { item: [{ mode: 'custom', cronExpression }] },
			events: ['galleryItemCreated', 'galleryItemUpdated', 'galleryItemDeleted'],
			watch: 'selected',
			galleries: { gallery: [{ galleryId: { __rl: true, mode: 'id', value: galleryId } }] },
		},
		credentials: credentialRef('wixGalleryApi'),
	};
}

async function createTextItem(title: string): Promise<WixItem> {
	const { item } = await wixCall<{ item: WixItem }>(
		'POST',
		`/pro-gallery/v2/galleries/${galleryId}/items`,
		{ item: { title, text: { html: `<p>${title}</p>` } } },
	);
	return item;
}

function events(execution: N8nExecution) {
	return nodeOutput(execution, POLLING_TRIGGER).map(({ json }) => [
		json.event,
		json.galleryId,
		json.itemId,
	]);
}

const TOO_SHORT = 'The polling interval is too short. It has to be at least a minute.';

/**
 * Waits until n8n logs that it refused the poll times. n8n 2.41.1 answers the activation first and starts the
 * triggers after, so the refusal shows in its log (not in the activation's answer).
 */
async function refusalLogged(): Promise<boolean> {
	for (let attempt = 0; attempt < 240; attempt++) {
		if (n8nLogEntries().some((entry) => entry.message.includes(TOO_SHORT))) return true;
		await sleep(250);
	}
	return false;
}

beforeAll(async () => {
	// The sandbox's webhooks would start the active sync example for this test's changes: nobody gets them here.
	targets = await borrowWebhookTargets(null);
	galleryName = `e2e polling ${Date.now()}`;
	galleryId = await createGallery(galleryName);
});

afterAll(async () => {
	if (workflow) await n8n().deactivateWorkflow(workflow.id);
	await targets?.restore();
});

describe('Wix Gallery Polling Trigger in real n8n', () => {
	test("the Galleries list in the editor: n8n's list search for a gallery inside the fixed collection", async () => {
		const credential = credentialRef('wixGalleryApi').wixGalleryApi;
		const answer = (await n8n().rest('POST', '/dynamic-node-parameters/resource-locator-results', {
			nodeTypeAndVersion: { name: packageNodeType('wixGalleryPollingTrigger'), version: 1 },
			path: 'parameters.galleries.gallery[0].galleryId',
			methodName: 'searchGalleries',
			filter: galleryName,
			currentNodeParameters: {
				authentication: 'apiKey',
				events: ['galleryItemCreated'],
				watch: 'selected',
				galleries: { gallery: [{ galleryId: { __rl: true, mode: 'list', value: '' } }] },
			},
			credentials: { wixGalleryApi: credential },
		})) as { results: Array<{ name: string; value: string }> };
		expect(answer.results).toEqual([{ name: `${galleryName} (0 items)`, value: galleryId }]);
	});

	test('n8n 2.41.1 refuses a 6-field cron that polls more than once a minute', async () => {
		const tooFast = await n8n().createWorkflow({
			name: 'e2e: polling every 10 s',
			nodes: [pollingTriggerNode('*/10 * * * * *')],
			connections: {},
		});
		expect(n8nLogEntries().some((entry) => entry.message.includes(TOO_SHORT))).toBe(false);
		await n8n().activateWorkflow(tooFast.id);
		try {
			expect(await refusalLogged()).toBe(true);
			expect(await allExecutions(tooFast.id)).toEqual([]);
		} finally {
			await n8n().deactivateWorkflow(tooFast.id);
		}
	});

	test('an active workflow polling every minute starts one execution per change set, with the webhook fields', async () => {
		const kept = await createTextItem('kept');
		const doomed = await createTextItem('doomed');
		workflow = await n8n().createWorkflow({
			name: 'e2e: Wix Gallery Polling Trigger',
			nodes: [pollingTriggerNode(EVERY_MINUTE)],
			connections: {},
		});
		// Activation runs the first poll, which records the gallery and reports nothing.
		await n8n().activateWorkflow(workflow.id);
		const recorded = await n8n().readStaticData(workflow.id);
		expect(JSON.stringify(recorded)).toContain(galleryId);
		expect(await allExecutions(workflow.id)).toEqual([]);

		// All three changes before the next poll time, so that one minute's wait shows them; if a poll time falls
		// between them, two or three executions hold them. Either way each change comes out once, in this order.
		const created = await createTextItem('polled');
		await wixCall('PATCH', `/pro-gallery/v2/galleries/${galleryId}/items/${kept.id}`, {
			item: { title: 'kept, renamed' },
		});
		await wixCall('DELETE', `/pro-gallery/v2/galleries/${galleryId}/items/${doomed.id}`);
		let executions: N8nExecution[] = [];
		for (let count = 1; count <= 3; count++) {
			executions = (await settledExecutions(workflow.id, count, 150_000)).slice().reverse();
			if (executions.flatMap(events).length >= 3) break;
		}
		expect(executions.flatMap(events)).toEqual([
			['galleryItemCreated', galleryId, created.id],
			['galleryItemUpdated', galleryId, kept.id],
			['galleryItemDeleted', galleryId, doomed.id],
		]);
		for (const execution of executions) {
			expect({ mode: execution.mode, status: execution.status }).toEqual({
				mode: 'trigger',
				status: 'success',
			});
		}
		const createdEvent = executions
			.flatMap((execution) => nodeOutput(execution, POLLING_TRIGGER))
			.find(({ json }) => json.itemId === created.id);
		expect(createdEvent?.json).toMatchObject({
			eventType: 'wix.pro_gallery.gallery_v2_gallery_item_created',
			title: 'polled',
			type: 'TEXT',
			stale: false,
		});
		const saved = JSON.stringify(await n8n().readStaticData(workflow.id));
		expect(saved).toContain('pollState');
		keptItemId = kept.id;
	});

	test("the editor's Fetch Test Event shows the newest item and leaves the saved state alone", async () => {
		const before = await n8n().readStaticData(workflow!.id);
		const execution = await n8n().runWorkflow(workflow!.id, { triggerName: POLLING_TRIGGER });
		expect({ mode: execution.mode, status: execution.status }).toEqual({
			mode: 'manual',
			status: 'success',
		});
		expect(events(execution)).toEqual([['galleryItemUpdated', galleryId, keptItemId]]);
		expect(await n8n().readStaticData(workflow!.id)).toEqual(before);
	});
});
