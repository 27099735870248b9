// Trigger benchmark: genuine signed Wix deliveries (the sandbox's RS256 JWTs of Gallery Item Created events, each
// with its own event id, captured before n8n sees them) posted at a fixed concurrency, as Wix posts them (text/plain
// body, a fresh connection each), to three active workflows in the same n8n: the package's Wix Gallery Trigger →
// NoOp, n8n's own Webhook node (respond immediately) → NoOp, and the same Webhook node checking a Header Auth
// credential (a receiver that, like the trigger, reads a credential on every request). Client-side response time per
// delivery, status counts and executions started, against the Webhook node; Wix gives up on a receiver after 1,250 ms.
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';

import {
	figure,
	formatCount,
	formatMs,
	formatPercent,
	formatRatio,
	mapConcurrent,
	PACKAGE_NAME,
	percentile,
	ratio,
	sectionHeader,
	sleep,
	table,
	WIX_WEBHOOK_TIMEOUT_MS,
} from './common.mjs';

export const DEFAULTS = { deliveries: 500, concurrency: 20, warmup: 100 };
export const QUICK = { deliveries: 100, concurrency: 20, warmup: 20 };

const RECEIVERS = {
	trigger: 'Wix Gallery Trigger → NoOp',
	webhook: 'n8n Webhook node → NoOp',
	webhookAuth: 'n8n Webhook node + Header Auth → NoOp',
};
const AUTH_HEADER = 'X-Bench-Token';

function noOp() {
	return {
		id: 'bench-noop',
		name: 'No Operation',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [260, 0],
		parameters: {},
	};
}

function receiverWorkflow(name, first) {
	return {
		name,
		nodes: [first, noOp()],
		connections: { [first.name]: { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

function triggerWorkflow(galleryId, credential) {
	return receiverWorkflow(`bench: ${RECEIVERS.trigger}`, {
		id: 'bench-wix-trigger',
		name: 'Wix Gallery Trigger',
		type: `${PACKAGE_NAME}.wixGalleryTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { events: ['galleryItemCreated'], galleryIds: galleryId },
		credentials: { wixGalleryOAuth2Api: { id: credential.id, name: credential.name } },
	});
}

function webhookWorkflow(headerAuthCredential) {
	const webhookId = randomUUID();
	const auth = headerAuthCredential
		? {
				parameters: { authentication: 'headerAuth' },
				credentials: {
					httpHeaderAuth: { id: headerAuthCredential.id, name: headerAuthCredential.name },
				},
			}
		: { parameters: {} };
	return receiverWorkflow(
		`bench: ${headerAuthCredential ? RECEIVERS.webhookAuth : RECEIVERS.webhook}`,
		{
			id: 'bench-webhook',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId,
			parameters: {
				httpMethod: 'POST',
				path: webhookId,
				responseMode: 'onReceived',
				options: {},
				...auth.parameters,
			},
			...(auth.credentials ? { credentials: auth.credentials } : {}),
		},
	);
}

/** Creates and activates a workflow; returns its id and production URL once n8n has registered the webhook. */
async function activate(setup, workflow) {
	const { workflow: created, url } = await setup.client.activateWithWebhook(workflow);
	return { id: created.id, url };
}

/** Genuine deliveries: the sandbox posts its signed webhooks for `count` new items to a receiver here. */
async function captureDeliveries(setup, galleryId, count) {
	const bodies = [];
	const contentTypes = new Set();
	const server = createServer((request, response) => {
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', () => {
			bodies.push(Buffer.concat(chunks).toString('utf8'));
			contentTypes.add(request.headers['content-type']);
			response.statusCode = 200;
			response.end();
		});
	});
	await new Promise((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
	try {
		const { control } = setup.sandbox;
		await control('PUT', 'webhook-target', {
			url: `http://127.0.0.1:${server.address().port}/capture`,
			maxAttempts: 1,
		});
		await mapConcurrent(
			Array.from({ length: count }, (_, index) => index),
			8,
			async (index) =>
				await setup.wix('POST', `/pro-gallery/v2/galleries/${galleryId}/items`, {
					item: { title: `bench delivery ${index}`, text: { html: `<p>delivery ${index}</p>` } },
				}),
		);
		const { flushed } = await control('POST', 'webhooks/flush', { timeoutMs: 120000 });
		if (!flushed) throw new Error('the sandbox did not finish its webhook deliveries');
		await control('PUT', 'webhook-target', { url: null });
	} finally {
		await new Promise((resolveClose) => {
			server.close(() => resolveClose());
			server.closeAllConnections();
		});
	}
	if (bodies.length !== count)
		throw new Error(`captured ${bodies.length} deliveries, expected ${count}`);
	return { bodies, contentType: [...contentTypes].join(', ') };
}

/** The event id inside a delivery (the JWT's payload, read without checking it: n8n does the checking). */
function eventIdOf(jwt) {
	const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
	return JSON.parse(JSON.parse(payload.data).data).id;
}

/** One delivery as Wix makes it: a POST of the JWT on a fresh connection; time until the answer's last byte. */
function deliver(url, body, contentType, headers) {
	return new Promise((resolveDelivery) => {
		const started = performance.now();
		const payload = Buffer.from(body);
		const request = httpRequest(
			url,
			{
				method: 'POST',
				headers: { ...headers, 'Content-Type': contentType, 'Content-Length': payload.length },
				agent: false,
			},
			(response) => {
				response.resume();
				response.on('end', () =>
					resolveDelivery({ status: response.statusCode, ms: performance.now() - started }),
				);
			},
		);
		request.on('error', (error) =>
			resolveDelivery({ status: 0, error: error.message, ms: performance.now() - started }),
		);
		request.end(payload);
	});
}

/** Waits until the workflow's executions stop changing and none is running; returns how many there are. */
async function settledExecutionCount(setup, workflowId, expected, timeoutMs = 300000) {
	const deadline = Date.now() + timeoutMs;
	let last = -1;
	let stableSince = Date.now();
	for (;;) {
		const executions = await setup.executionsOf(workflowId);
		const running = executions.filter((execution) => !execution.stoppedAt).length;
		if (executions.length !== last) {
			last = executions.length;
			stableSince = Date.now();
		}
		const stableFor = Date.now() - stableSince;
		if (running === 0 && (executions.length >= expected ? stableFor >= 1000 : stableFor >= 10000)) {
			return {
				count: executions.length,
				failed: executions.filter((execution) => execution.status !== 'success').length,
			};
		}
		if (Date.now() > deadline) return { count: executions.length, running, timedOut: true };
		await sleep(500);
	}
}

async function burst(setup, receiver, bodies, { concurrency, contentType, headers }) {
	const before = (await setup.executionsOf(receiver.id)).length;
	const started = performance.now();
	const answers = await mapConcurrent(
		bodies,
		concurrency,
		async (body) => await deliver(receiver.url, body, contentType, headers),
	);
	const wallMs = performance.now() - started;
	const settled = await settledExecutionCount(setup, receiver.id, before + bodies.length);
	return {
		answers,
		wallMs,
		executionsStarted: settled.count - before,
		executionsFailed: settled.failed,
		settleTimedOut: settled.timedOut ?? false,
	};
}

/** One receiver's figures over its bursts, answer times in the order the deliveries were sent. */
function summarise(bursts) {
	const answers = bursts.flatMap((part) => part.answers);
	const times = answers.map((answer) => answer.ms);
	const statuses = {};
	for (const answer of answers) {
		const key = answer.status || `error: ${answer.error}`;
		statuses[key] = (statuses[key] ?? 0) + 1;
	}
	// By fifth: a receiver that slows down as it has seen more deliveries shows a rising series.
	const fifth = Math.ceil(times.length / 5);
	const p50ByFifth = Array.from({ length: 5 }, (_, index) =>
		percentile(times.slice(index * fifth, (index + 1) * fifth), 50),
	).filter((value) => value !== undefined);
	return {
		deliveries: answers.length,
		wallMs: bursts.reduce((sum, part) => sum + part.wallMs, 0),
		p50ByFifth,
		p50: percentile(times, 50),
		p90: percentile(times, 90),
		p99: percentile(times, 99),
		max: Math.max(...times),
		withinWixTimeout: times.filter((ms) => ms <= WIX_WEBHOOK_TIMEOUT_MS).length / times.length,
		statuses,
		executionsStarted: bursts.reduce((sum, part) => sum + part.executionsStarted, 0),
		executionsFailed: bursts.reduce((sum, part) => sum + part.executionsFailed, 0),
		settleTimedOut: bursts.some((part) => part.settleTimedOut),
	};
}

/**
 * @param {import('./common.mjs').BenchSetup} setup
 * @param {{ deliveries: number, concurrency: number, warmup: number }} options
 */
export async function run(setup, options, log) {
	await setup.freshN8n();
	const { gallery } = await setup.wix('POST', '/pro-gallery/v2/galleries', {
		gallery: { name: `bench deliveries ${Date.now()}` },
	});
	const keys = Object.keys(RECEIVERS);
	const total = options.warmup * keys.length + options.deliveries;
	log(`== capturing ${total} signed deliveries from the sandbox (Gallery Item Created)`);
	const { bodies, contentType } = await captureDeliveries(setup, gallery.id, total);
	const eventIds = new Set(bodies.map(eventIdOf));
	if (eventIds.size !== bodies.length)
		throw new Error(`the captured deliveries share event ids (${eventIds.size} distinct)`);

	const token = randomUUID();
	const headerAuthCredential = await setup.client.createCredential({
		name: 'bench: Header Auth',
		type: 'httpHeaderAuth',
		data: { name: AUTH_HEADER, value: token },
	});
	const receivers = {
		trigger: await activate(setup, triggerWorkflow(gallery.id, setup.appCredential)),
		webhook: await activate(setup, webhookWorkflow()),
		webhookAuth: await activate(setup, webhookWorkflow(headerAuthCredential)),
	};
	const headers = { webhookAuth: { [AUTH_HEADER]: token } };
	const measured = bodies.slice(options.warmup * keys.length);
	const settings = (key) => ({
		concurrency: options.concurrency,
		contentType,
		headers: headers[key],
	});
	for (const [index, key] of keys.entries()) {
		log(`== warm-up: ${options.warmup} deliveries to ${RECEIVERS[key]}`);
		await burst(
			setup,
			receivers[key],
			bodies.slice(index * options.warmup, (index + 1) * options.warmup),
			settings(key),
		);
	}
	// Two rounds, the second in reverse order, so that no receiver always goes first (on code n8n has not yet
	// optimised) or last (against the largest execution table). The same deliveries go to all three: the Webhook
	// node does not look at event ids.
	const half = Math.ceil(measured.length / 2);
	const rounds = [
		{ order: keys, bodies: measured.slice(0, half) },
		{ order: [...keys].reverse(), bodies: measured.slice(half) },
	];
	const bursts = Object.fromEntries(keys.map((key) => [key, []]));
	for (const [round, { order, bodies: roundBodies }] of rounds.entries()) {
		for (const key of order) {
			log(
				`== round ${round + 1} of 2: ${roundBodies.length} deliveries at concurrency ${options.concurrency} to ${RECEIVERS[key]}`,
			);
			bursts[key].push(await burst(setup, receivers[key], roundBodies, settings(key)));
		}
	}
	const results = Object.fromEntries(keys.map((key) => [key, summarise(bursts[key])]));
	for (const receiver of Object.values(receivers))
		await setup.client.deactivateWorkflow(receiver.id);

	const problems = [];
	for (const [key, result] of Object.entries(results)) {
		const ok = result.statuses[200] ?? 0;
		if (ok !== result.deliveries)
			problems.push(`${RECEIVERS[key]}: ${result.deliveries - ok} deliveries not answered 200`);
		if (result.executionsStarted !== result.deliveries)
			problems.push(
				`${RECEIVERS[key]}: ${result.executionsStarted} executions started for ${result.deliveries} deliveries`,
			);
		if (result.executionsFailed)
			problems.push(`${RECEIVERS[key]}: ${result.executionsFailed} executions did not succeed`);
	}
	const { trigger, webhook, webhookAuth } = results;
	return {
		benchmark: 'trigger',
		title: 'Trigger benchmark',
		workloadText:
			`${formatCount(options.deliveries)} genuine signed deliveries (distinct event ids, JWT body, ` +
			`Content-Type ${contentType}, a fresh connection each) at concurrency ${options.concurrency} to each of three ` +
			`active workflows in one n8n, after ${options.warmup} warm-up deliveries each; in two rounds of half, the ` +
			`second in reverse order`,
		workload: { ...options, contentType, galleryId: gallery.id },
		results,
		goals: [
			{
				text: `p99 ${formatMs(trigger.p99)} — within ${WIX_WEBHOOK_TIMEOUT_MS.toLocaleString('en')} ms: ${trigger.p99 <= WIX_WEBHOOK_TIMEOUT_MS ? 'yes' : 'no'} (well inside: ${trigger.p99 <= WIX_WEBHOOK_TIMEOUT_MS / 2 ? 'yes, under half of it' : 'no'}); ${formatPercent(trigger.withinWixTimeout)} of deliveries answered within it`,
				met: trigger.p99 <= WIX_WEBHOOK_TIMEOUT_MS,
			},
		],
		problems,
		figures: [
			figure('Trigger p50 vs Webhook node', trigger.p50, formatMs, webhook.p50, 'Webhook node'),
			figure('Trigger p99 vs Webhook node', trigger.p99, formatMs, webhook.p99, 'Webhook node'),
			figure(
				'Trigger p99 vs Webhook node + Header Auth',
				trigger.p99,
				formatMs,
				webhookAuth.p99,
				'Webhook + Header Auth',
			),
			figure(
				'Trigger executions started vs Webhook node',
				trigger.executionsStarted,
				formatCount,
				webhook.executionsStarted,
				'Webhook node',
			),
			figure(
				`Trigger share within ${WIX_WEBHOOK_TIMEOUT_MS.toLocaleString('en')} ms`,
				trigger.withinWixTimeout,
				formatPercent,
			),
		],
	};
}

export function format(report) {
	const { trigger, webhook, webhookAuth } = report.results;
	const statusText = (statuses) =>
		Object.entries(statuses)
			.map(([status, count]) => `${status}: ${count}`)
			.join(', ');
	const row = (name, result, reference) => [
		name,
		formatMs(result.p50),
		reference ? formatRatio(ratio(result.p50, reference.p50)) : '1.00×',
		formatMs(result.p90),
		formatMs(result.p99),
		reference ? formatRatio(ratio(result.p99, reference.p99)) : '1.00×',
		formatMs(result.max),
		formatPercent(result.withinWixTimeout),
		statusText(result.statuses),
		formatCount(result.executionsStarted),
		formatMs(result.wallMs),
		(result.deliveries / (result.wallMs / 1000)).toFixed(1),
	];
	const rows = [
		[
			'receiver',
			'p50',
			'vs Webhook',
			'p90',
			'p99',
			'vs Webhook',
			'max',
			'≤1,250 ms',
			'statuses',
			'executions',
			'burst took',
			'deliveries/s',
		],
		row(RECEIVERS.trigger, trigger, webhook),
		row(RECEIVERS.webhook, webhook),
		row(RECEIVERS.webhookAuth, webhookAuth, webhook),
	];
	return [
		sectionHeader(report),
		'',
		table(rows),
		'',
		`response time: client side, from opening the connection to the answer's last byte; executions: counted ` +
			`through n8n's public API after they settled`,
		`p50 by fifth of the burst (in sending order): ${Object.entries(RECEIVERS)
			.map(([key, name]) => `${name} ${report.results[key].p50ByFifth.map(formatMs).join(', ')}`)
			.join('; ')}`,
		...report.goals.map((goal) => `goal: ${goal.text}`),
	].join('\n');
}
