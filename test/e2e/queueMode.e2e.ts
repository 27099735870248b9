/* eslint-disable @n8n/community-nodes/no-restricted-globals -- e2e tests run in plain Node against a real n8n, never inside n8n */
import { randomUUID } from 'node:crypto';

import { sleep } from '../../scripts/n8n-client.cjs';
import type { N8nExecution } from '../../scripts/n8n-client.cjs';
import { executionsFinishedBy, logEntries, startQueueInstance } from '../support/e2e/queue';
import type { QueueInstance } from '../support/e2e/queue';

// Real n8n 2.41.1 in queue mode (scripts/n8n-cluster.mjs): Postgres and Redis as local processes, one main, one
// webhook processor and two workers, with the package installed in each. Proves that production webhooks go to the
// webhook processor, run on the workers, and keep working when a worker dies.
describe('queue mode: main, webhook processor and two workers on Postgres and Redis', () => {
	let queue: QueueInstance;
	let workflowId: string;
	let webhookUrl: string;
	const startedAt = Date.now();

	beforeAll(
		async () => {
			queue = await startQueueInstance();
			const { boot } = queue.description.cluster;
			const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
			process.stderr.write(
				`queue-mode cluster up in ${seconds(Date.now() - startedAt)} (cluster ${seconds(boot.totalMs)}: ` +
					`Postgres ${seconds(boot.postgresMs)}, Redis ${seconds(boot.redisMs)}, main ${seconds(boot.mainMs)}, ` +
					`webhook ${seconds(boot.webhookMs)}, workers ${boot.workersMs.map(seconds).join(', ')})\n`,
			);

			const path = `queue-${randomUUID()}`;
			const { workflow, url } = await queue.client.activateWithWebhook({
				name: 'Queue mode: webhook to Set',
				nodes: [
					{
						name: 'Webhook',
						type: 'n8n-nodes-base.webhook',
						typeVersion: 2,
						position: [0, 0],
						webhookId: randomUUID(),
						// Answers once the execution is enqueued. With responseMode 'lastNode' (the webhook processor
						// waits for the worker's result), 1 of 20-30 concurrent requests sometimes never got its answer
						// although its execution had finished on a worker (n8n 2.41.1, twice in 3 runs): the results are
						// checked in the executions instead.
						parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
					},
					{
						name: 'Set',
						type: 'n8n-nodes-base.set',
						typeVersion: 3.4,
						position: [220, 0],
						parameters: {
							mode: 'manual',
							assignments: {
								assignments: [
									{
										id: randomUUID(),
										name: 'doubled',
										value: '={{ $json.body.n * 2 }}',
										type: 'number',
									},
								],
							},
							options: {},
						},
					},
				],
				connections: { Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] } },
				settings: { saveDataSuccessExecution: 'all' },
			});
			workflowId = workflow.id;
			webhookUrl = url;
		},
		15 * 60 * 1000,
	);

	afterAll(async () => {
		await queue?.stop();
	}, 60 * 1000);

	async function send(n: number): Promise<{ status: number; body: unknown }> {
		const response = await fetch(webhookUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ n }),
			signal: AbortSignal.timeout(60000),
		});
		const text = await response.text();
		let body: unknown = text;
		try {
			body = JSON.parse(text);
		} catch {
			// not JSON: kept as text for the failure message
		}
		return { status: response.status, body };
	}

	/** Waits until `ids` all appear in the workers' logs (the file log is written a moment after the DB row). */
	async function workerOf(ids: string[]): Promise<Map<string, number[]>> {
		const { workers } = queue.description.cluster.jsonLogs;
		let owners = new Map<string, number[]>();
		for (let attempt = 0; attempt < 100; attempt++) {
			const finished = workers.map(executionsFinishedBy);
			owners = new Map(
				ids.map((id) => [id, finished.flatMap((set, index) => (set.has(id) ? [index] : []))]),
			);
			if ([...owners.values()].every((list) => list.length > 0)) break;
			await sleep(100);
		}
		return owners;
	}

	async function burst(values: number[]): Promise<N8nExecution[]> {
		const before = new Set(
			(await queue.client.listExecutions({ workflowId })).map((execution) => execution.id),
		);
		const answers = await Promise.all(values.map(send));
		for (const answer of answers) expect(answer.status).toBe(200);
		const executions = await queue.client.waitForExecutions(workflowId, {
			count: before.size + values.length,
			timeoutMs: 60000,
		});
		const fresh = executions.filter((execution) => !before.has(execution.id));
		// Each request's own value came out of the Set node, computed on a worker.
		const outputs = await Promise.all(
			fresh.map(async (execution) => {
				const full = await queue.client.getExecution(execution.id);
				return full.data?.resultData.runData.Set?.[0]?.data?.main?.[0]?.[0]?.json.doubled;
			}),
		);
		expect(outputs.sort((a, b) => Number(a) - Number(b))).toEqual(
			values.map((value) => value * 2).sort((a, b) => a - b),
		);
		return fresh;
	}

	test('the production webhook is served by the webhook processor, not by main', async () => {
		expect(webhookUrl.startsWith(`${queue.description.webhookUrl}/webhook/`)).toBe(true);
		expect(queue.description.webhookUrl).not.toBe(queue.description.n8nUrl);
		// n8n registers the webhook a moment after activation; the first delivery may meet a 404.
		let answer = await send(0);
		for (let attempt = 0; attempt < 50 && answer.status === 404; attempt++) {
			await sleep(200);
			answer = await send(0);
		}
		expect(answer.status).toBe(200);
		const onMain = await fetch(
			`${queue.description.n8nUrl}/webhook/${webhookUrl.split('/webhook/')[1]}`,
			{
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ n: 1 }),
			},
		);
		// N8N_DISABLE_PRODUCTION_MAIN_PROCESS: main does not run production webhooks.
		expect(onMain.status).not.toBe(200);
	});

	test('20 concurrent requests all succeed, each run by exactly one worker', async () => {
		const values = Array.from({ length: 20 }, (_, index) => index + 1);
		const executions = await burst(values);
		expect(executions).toHaveLength(20);
		for (const execution of executions) {
			expect(execution.status).toBe('success');
			expect(execution.mode).toBe('webhook');
		}
		const owners = await workerOf(executions.map((execution) => execution.id));
		for (const [id, workers] of owners)
			expect({ id, workers: workers.length }).toEqual({ id, workers: 1 });
		// The webhook processor enqueued them; main ran none of them.
		const enqueued = logEntries(queue.description.cluster.jsonLogs.webhook)
			.map((entry) => /^Enqueued execution (\S+) /.exec(entry.message)?.[1])
			.filter(Boolean);
		for (const execution of executions) expect(enqueued).toContain(execution.id);
		expect(
			logEntries(queue.description.cluster.jsonLogs.main).some((entry) =>
				entry.message.startsWith('Worker finished execution'),
			),
		).toBe(false);
		const perWorker = [0, 1].map(
			(index) => [...owners.values()].filter((w) => w[0] === index).length,
		);
		process.stderr.write(`20 executions: ${perWorker.join(' + ')} per worker\n`);
	});

	test('a worker reaches graph.facebook.com through the sandbox’s platform proxy (n8n’s Facebook Graph API node)', async () => {
		const { sandbox, credentials } = queue.description;
		const state = (await (await fetch(`${sandbox.baseUrl}/_sandbox/state`)).json()) as {
			proGallery: {
				galleries: Array<{
					items: Array<{ title?: string; image?: { imageInfo?: { url?: string } } }>;
				}>;
			};
		};
		const imageUrl = state.proGallery.galleries
			.flatMap((gallery) => gallery.items)
			.find((item) => item.title === 'Studio session')?.image?.imageInfo?.url;
		expect(imageUrl).toBeDefined();
		const caption = `queue-${randomUUID()}`;
		const created = await queue.client.createWorkflow({
			name: 'Queue mode: Instagram container through the platform proxy',
			nodes: [
				{
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					name: 'Create Container',
					type: 'n8n-nodes-base.facebookGraphApi',
					typeVersion: 1,
					position: [220, 0],
					parameters: {
						hostUrl: 'graph.facebook.com',
						httpRequestMethod: 'POST',
						graphApiVersion: 'v23.0',
						node: sandbox.platforms.instagram!.account.igUserId,
						edge: 'media',
						options: {
							queryParameters: {
								parameter: [
									{ name: 'image_url', value: imageUrl! },
									{ name: 'caption', value: caption },
								],
							},
						},
					},
					credentials: {
						facebookGraphApi: {
							id: credentials.facebookGraphApi.id,
							name: credentials.facebookGraphApi.name,
						},
					},
				},
			],
			connections: { Start: { main: [[{ node: 'Create Container', type: 'main', index: 0 }]] } },
		});
		const execution = await queue.client.runWorkflow(created.id, { triggerName: 'Start' });
		expect(execution.status).toBe('success');
		const owners = await workerOf([execution.id]);
		expect(owners.get(execution.id)).toHaveLength(1);
		const instagram = (await (await fetch(`${sandbox.baseUrl}/_sandbox/instagram`)).json()) as {
			containers: Array<{ id: string; caption: string; via: string | null }>;
		};
		const container = instagram.containers.find((candidate) => candidate.caption === caption);
		// Only a request that came through the proxy's TLS tunnel records the host.
		expect(container?.via).toBe('graph.facebook.com');
		expect(
			execution.data?.resultData.runData['Create Container']?.[0]?.data?.main?.[0]?.[0]?.json,
		).toEqual({
			id: container?.id,
		});
	});

	test('after worker 1 is killed, worker 2 runs the next 10; the restarted worker 1 runs again', async () => {
		await queue.killWorker(0);
		const afterKill = await burst(Array.from({ length: 10 }, (_, index) => 100 + index));
		expect(afterKill.map((execution) => execution.status)).toEqual(Array(10).fill('success'));
		const owners = await workerOf(afterKill.map((execution) => execution.id));
		for (const [id, workers] of owners) expect({ id, workers }).toEqual({ id, workers: [1] });

		const restarted = await queue.restartWorker(0);
		process.stderr.write(`worker 1 restarted in ${(restarted.bootMs / 1000).toFixed(1)} s\n`);
		// Which worker Bull hands a job to is not fixed: send until the restarted one has run one (bounded).
		let ranOnRestarted = false;
		for (let round = 0; round < 5 && !ranOnRestarted; round++) {
			const executions = await burst(Array.from({ length: 10 }, (_, index) => 200 + index));
			expect(executions.map((execution) => execution.status)).toEqual(Array(10).fill('success'));
			const ownersNow = await workerOf(executions.map((execution) => execution.id));
			ranOnRestarted = [...ownersNow.values()].some((workers) => workers.includes(0));
		}
		expect(ranOnRestarted).toBe(true);
	});
});
