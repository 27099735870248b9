/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- sandbox tests run in plain Node, never inside n8n */
import { verify } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ApiKeyStrategy, createClient } from '@wix/sdk';
import { files } from '@wix/media';
import { proGallery } from '@wix/pro-gallery';

import type { TestSandbox } from './sandbox';

/**
 * Shared plumbing for the sandbox conformance tests: the official Wix SDK pointed at the sandbox, a plain
 * authenticated HTTP client, and a webhook receiver that verifies and unpacks Wix's signed events.
 */

const WIX_API_ORIGIN = 'https://www.wixapis.com';

/**
 * The SDK always calls `https://www.wixapis.com`; its `fetch` option lets us send those calls to the sandbox
 * instead without touching the global fetch.
 */
export function sandboxFetch(baseUrl: string): typeof fetch {
	return async (input, init) => {
		const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
		if (!url.startsWith(WIX_API_ORIGIN)) throw new Error(`SDK called an unexpected host: ${url}`);
		return await fetch(baseUrl + url.slice(WIX_API_ORIGIN.length), init);
	};
}

export function wixSdkClient(sandbox: TestSandbox) {
	return createClient({
		auth: ApiKeyStrategy({
			apiKey: sandbox.credentials.apiKey,
			siteId: sandbox.credentials.siteId,
		}),
		modules: { proGallery, files },
		fetch: sandboxFetch(sandbox.baseUrl),
	});
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON came back
export type Json = any;

export interface ApiResponse<T = Json> {
	status: number;
	body: T;
	headers: Headers;
}

/** Plain HTTP against the sandbox, authenticated like a site owner's API key. */
export function apiClient(sandbox: TestSandbox) {
	return async function call<T = Json>(
		method: string,
		path: string,
		body?: unknown,
	): Promise<ApiResponse<T>> {
		const response = await fetch(sandbox.baseUrl + path, {
			method,
			headers: {
				Authorization: sandbox.credentials.apiKey,
				'wix-site-id': sandbox.credentials.siteId,
				...(body !== undefined && { 'Content-Type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return {
			status: response.status,
			body: text ? JSON.parse(text) : undefined,
			headers: response.headers,
		};
	};
}

export interface ReceivedEvent {
	eventType: string;
	instanceId: string;
	/** The domain event (`data.data` parsed). */
	event: {
		id: string;
		entityFqdn: string;
		slug: string;
		entityId: string;
		originatedFrom?: string;
		createdEvent?: { entity: Json };
		updatedEvent?: { currentEntity: Json };
		deletedEvent?: Record<string, unknown>;
		actionEvent?: { body: Json };
	};
	identity: { identityType: string };
}

export interface WebhookReceiver {
	url: string;
	events: ReceivedEvent[];
	clear(): void;
	close(): Promise<void>;
}

function base64urlDecode(part: string): Buffer {
	return Buffer.from(part, 'base64url');
}

/** Receives webhooks, checks each JWT's RS256 signature with the app's public key, and unpacks the event. */
export async function startWebhookReceiver(publicKeyPem: string): Promise<WebhookReceiver> {
	const events: ReceivedEvent[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const [header, payload, signature] = Buffer.concat(chunks).toString('utf8').split('.');
			const valid = verify(
				'sha256',
				Buffer.from(`${header}.${payload}`),
				publicKeyPem,
				base64urlDecode(signature ?? ''),
			);
			if (!valid) {
				res.statusCode = 401;
				res.end();
				return;
			}
			const claims = JSON.parse(base64urlDecode(payload).toString('utf8'));
			const envelope = JSON.parse(claims.data);
			events.push({
				eventType: envelope.eventType,
				instanceId: envelope.instanceId,
				event: JSON.parse(envelope.data),
				identity: JSON.parse(envelope.identity),
			});
			res.statusCode = 200;
			res.end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhooks`,
		events,
		clear: () => events.splice(0, events.length),
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/**
 * Polls `probe` until it returns something truthy. `timeoutMs` is a ceiling for a condition that never comes, not a
 * measure of speed: generous, so that a busy machine only makes the wait longer.
 */
export async function waitFor<T>(
	probe: () => Promise<T | undefined | false> | T | undefined | false,
	what: string,
	timeoutMs = 30_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
