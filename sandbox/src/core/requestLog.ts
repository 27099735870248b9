/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import type { IncomingMessage } from 'node:http';

import { NOT_JSON, tryParseJson } from './http';

/**
 * The log of API requests (`GET /_sandbox/requests`): what each request sent, as received, with every secret the
 * sandbox handed out redacted, and its status and handling time once answered. Control requests are not logged.
 */

export interface RequestLogEntry {
	seq: number;
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	headers: Record<string, string | string[]>;
	/** Parsed JSON for JSON bodies, otherwise `{ size, contentType }`. */
	body: unknown;
	/** 0 while the request is still being answered. */
	status: number;
	requestId: string;
	time: string;
	/** The id of the injected fault (`POST /_sandbox/faults`) that answered or delayed this request. */
	fault?: string;
	/**
	 * Server-side handling time in ms, from the request's arrival to the last byte of the answer (fractional);
	 * set with `status` when the answer is finished. Benchmarks sum it as the API's own share of a run.
	 */
	durationMs?: number;
}

const REDACTED = '[redacted]';
/** Shapes of the secrets the sandbox hands out, so that even stale ones never reach the request log. */
const SECRET_PATTERNS = [
	/\bIST\.[A-Za-z0-9_-]{16,}(?:\.[A-Za-z0-9_-]+)*/g,
	/\bOauthNG\.JWS\.[A-Za-z0-9_-]{16,}(?:\.[A-Za-z0-9_-]+)*/g,
];

function redactString(value: string, secrets: string[]): string {
	let result = value;
	for (const secret of secrets) {
		if (result.includes(secret)) result = result.split(secret).join(REDACTED);
	}
	for (const pattern of SECRET_PATTERNS) result = result.replace(pattern, REDACTED);
	return result;
}

function redact<T>(value: T, secrets: string[]): T {
	if (typeof value === 'string') return redactString(value, secrets) as T;
	if (Array.isArray(value)) return value.map((entry) => redact(entry, secrets)) as T;
	if (value && typeof value === 'object') {
		const result: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value)) {
			result[key] = /^(client_secret|access_token|refresh_token|authorization)$/i.test(key)
				? REDACTED
				: redact(entry, secrets);
		}
		return result as T;
	}
	return value;
}

function queryToObject(query: URLSearchParams): Record<string, string | string[]> {
	const result: Record<string, string | string[]> = {};
	for (const [key, value] of query) {
		const existing = result[key];
		if (existing === undefined) result[key] = value;
		else if (Array.isArray(existing)) existing.push(value);
		else result[key] = [existing, value];
	}
	return result;
}

function isJsonContentType(contentType: string | undefined): boolean {
	return !!contentType && /[/+]json\b/i.test(contentType);
}

export class RequestLog {
	private entries: RequestLogEntry[] = [];
	/** Never reset, so that entries from before a reset or a clear cannot be confused with later ones. */
	private seq = 0;

	constructor(
		/** The secrets to redact, read at each request (tokens are issued all the time). */
		private readonly secrets: () => string[],
		private readonly now: () => number,
	) {}

	/** Adds the request's entry (status 0 until answered) and returns it for the answer to complete. */
	record(
		raw: IncomingMessage,
		path: string,
		query: URLSearchParams,
		body: Buffer,
		requestId: string,
	): RequestLogEntry {
		const headers: Record<string, string | string[]> = {};
		for (const [name, value] of Object.entries(raw.headers)) {
			if (value === undefined) continue;
			headers[name] = name === 'authorization' ? REDACTED : value;
		}
		const contentType = raw.headers['content-type'];
		let loggedBody: unknown = { size: body.length, contentType: contentType ?? null };
		if (body.length > 0 && isJsonContentType(contentType)) {
			const parsed = tryParseJson(body.toString('utf8'));
			loggedBody =
				parsed === NOT_JSON ? { size: body.length, contentType, invalidJson: true } : parsed;
		}
		const entry = redact(
			{
				seq: ++this.seq,
				method: raw.method ?? 'GET',
				path,
				query: queryToObject(query),
				headers,
				body: loggedBody,
				status: 0,
				requestId,
				time: new Date(this.now()).toISOString(),
			},
			this.secrets(),
		);
		this.entries.push(entry);
		return entry;
	}

	list(): RequestLogEntry[] {
		return this.entries;
	}

	clear(): void {
		this.entries = [];
	}
}
