/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in plain Node, never inside n8n */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { readSandboxAsset, sandboxClient } from '../../sandbox/src';
import type { RequestLogEntry, TestSandbox } from './sandbox';
import { runNode } from './harness';
import type { InputItem, NodeRunResult } from './harness';

export const SAMPLE_JPEG = readSandboxAsset('sample.jpg');
export const SAMPLE_MP4 = readSandboxAsset('sample.mp4');

/** A resource-locator value "By ID", as the editor stores it. */
export function byId(value: string) {
	return { __rl: true, mode: 'id', value };
}

/** Calls the sandbox the way Wix is called, with the API key, to set up and check state beside the node. */
export async function wixCall<T = Record<string, unknown>>(
	sandbox: TestSandbox,
	method: string,
	path: string,
	body?: unknown,
): Promise<T> {
	return ((await sandboxClient(sandbox.baseUrl, sandbox.credentials).wix<T>(method, path, body)) ??
		{}) as T;
}

export async function createGalleryWithItems(
	sandbox: TestSandbox,
	name: string,
	itemCount: number,
): Promise<string> {
	const { gallery } = await wixCall<{ gallery: { id: string } }>(
		sandbox,
		'POST',
		'/pro-gallery/v2/galleries',
		{ gallery: { name } },
	);
	for (let index = 0; index < itemCount; index++) {
		await wixCall(sandbox, 'POST', `/pro-gallery/v2/galleries/${gallery.id}/items`, {
			item: {
				title: `Text ${index + 1}`,
				sortOrder: index + 1,
				text: { html: `<p>${index + 1}</p>` },
			},
		});
	}
	return gallery.id;
}

export function apiKeyCredentials(sandbox: TestSandbox) {
	const { apiKey, siteId } = sandbox.credentials;
	return { wixGalleryApi: { apiKey, siteId, baseUrl: sandbox.baseUrl } };
}

/** Runs the Pro Gallery node once, with the API key credential unless told otherwise. */
export async function runProGallery(
	sandbox: TestSandbox,
	parameters: INodeParameters,
	options: {
		input?: InputItem[];
		continueOnFail?: boolean;
		credentials?: Parameters<typeof runNode>[0]['credentials'];
	} = {},
): Promise<NodeRunResult> {
	return await runNode({
		type: 'wixProGallery',
		parameters,
		credentials: options.credentials ?? apiKeyCredentials(sandbox),
		input: options.input,
		continueOnFail: options.continueOnFail,
	});
}

export function jsonOf(items: INodeExecutionData[]) {
	return items.map((item) => item.json);
}

/** The requests the node made since the log was last cleared, without the sandbox's own upload/media routes. */
export async function apiRequests(
	sandbox: TestSandbox,
	pathPattern?: RegExp,
): Promise<RequestLogEntry[]> {
	const requests = await sandbox.control.requests();
	return requests.filter((request) => !pathPattern || pathPattern.test(request.path));
}

/** A stand-in for a public web server that hosts media, so URL imports fetch over real HTTP. */
export async function startMediaHost(
	files: Record<string, { body: Buffer; contentType: string }>,
): Promise<{ url(name: string): string; close(): Promise<void>; hits: string[] }> {
	const hits: string[] = [];
	const server: Server = createServer((request, response) => {
		const name = (request.url ?? '/').slice(1);
		hits.push(name);
		const file = files[name];
		if (!file) {
			response.writeHead(404).end('not found');
			return;
		}
		response.writeHead(200, {
			'Content-Type': file.contentType,
			'Content-Length': file.body.length,
		});
		response.end(file.body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: (name) => `http://127.0.0.1:${port}/${name}`,
		hits,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

export interface FrontRequest {
	method: string;
	/** Path and query. */
	url: string;
	headers: IncomingMessage['headers'];
	body: string;
}

async function readRequestBody(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/**
 * A server standing in front of the sandbox as a credential's Base URL: `intercept` may answer a request itself
 * (return true); everything else is passed on to the sandbox. It records every request it received.
 */
export async function startSandboxFront(
	sandbox: TestSandbox,
	intercept: (request: FrontRequest, response: ServerResponse) => boolean,
): Promise<{ url: string; received: FrontRequest[]; close(): Promise<void> }> {
	const received: FrontRequest[] = [];
	const server = createServer(async (request, response) => {
		const front: FrontRequest = {
			method: request.method ?? 'GET',
			url: request.url ?? '/',
			headers: request.headers,
			body: await readRequestBody(request),
		};
		received.push(front);
		if (intercept(front, response)) return;
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(request.headers)) {
			if (name !== 'host' && name !== 'content-length' && typeof value === 'string')
				headers[name] = value;
		}
		const answer = await fetch(`${sandbox.baseUrl}${front.url}`, {
			method: front.method,
			headers,
			body: front.method === 'GET' || front.method === 'HEAD' ? undefined : front.body,
		});
		const answerHeaders: Record<string, string> = {};
		answer.headers.forEach((value, name) => {
			if (!['content-length', 'transfer-encoding', 'connection'].includes(name))
				answerHeaders[name] = value;
		});
		response.writeHead(answer.status, answerHeaders);
		response.end(Buffer.from(await answer.arrayBuffer()));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		received,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
