/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { SandboxRequest } from '../context';
import { WixHttpError, wixErrorBody } from '../errors';
import type { SiteAuth } from './auth';
import { faultAnswer } from './faults';
import type { FaultInjector } from './faults';
import { newRequestId, parseJsonBody, readBody, writeError, writeResponse } from './http';
import type { RequestLog, RequestLogEntry } from './requestLog';
import type { RouteMatch, Router } from './routing';
import type { TimerSet } from './timers';

/**
 * What Wix's REST gateway does with every request, in order: a request id, the request log, injected faults,
 * routing, authentication, then the handler's answer (or Wix's error body). Control routes (`/_sandbox/...`) skip
 * the log, the faults and the authentication.
 */

export interface Gateway {
	router: Router;
	auth: SiteAuth;
	faults: FaultInjector;
	requestLog: RequestLog;
	/** Fault latency waits, cancelled on close. */
	requestTimers: TimerSet;
	isClosed(): boolean;
	log(line: string): void;
}

export async function handleRequest(
	gateway: Gateway,
	raw: IncomingMessage,
	res: ServerResponse,
): Promise<void> {
	const startedPrecise = performance.now();
	const started = Date.now();
	const body = await readBody(raw);
	const requestId = newRequestId();
	res.setHeader('x-wix-request-id', requestId);
	const method = (raw.method ?? 'GET').toUpperCase();
	const url = new URL(raw.url ?? '/', 'http://sandbox.invalid');
	const path = url.pathname;
	const isControl = path.startsWith('/_sandbox/');

	const entry = isControl
		? undefined
		: gateway.requestLog.record(raw, path, url.searchParams, body, requestId);
	if (entry) {
		res.once('finish', () => {
			entry.status = res.statusCode;
			entry.durationMs = Math.round((performance.now() - startedPrecise) * 1000) / 1000;
			gateway.log(
				`${method} ${path}${url.search} → ${res.statusCode} (${Date.now() - started} ms)`,
			);
		});
	}

	try {
		if (entry && (await answeredByFault(gateway, entry, method, path, requestId, res))) return;

		const matched = gateway.router.match(method, path);
		if (matched === null || matched === 'method-not-allowed') {
			const notAllowed = matched === 'method-not-allowed';
			writeResponse(
				res,
				notAllowed ? 405 : 404,
				wixErrorBody(
					notAllowed ? 'Method Not Allowed' : 'Not Found',
					notAllowed ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND',
					`No route for ${method} ${path}`,
					requestId,
				),
			);
			return;
		}

		const request = sandboxRequest(raw, method, url, body, matched, requestId);
		if (!isControl && matched.route.auth === 'site') {
			request.identity = gateway.auth.authenticate(request);
		}
		const result = await matched.route.handler(request, res);
		if (result) writeResponse(res, result.status ?? 200, result.body, result.headers);
	} catch (error) {
		writeError(res, error, requestId, gateway.log);
	}
}

/** Applies the fault that hits this request, if any: waits its latency, then answers in its place if it has a status. */
async function answeredByFault(
	gateway: Gateway,
	entry: RequestLogEntry,
	method: string,
	path: string,
	requestId: string,
	res: ServerResponse,
): Promise<boolean> {
	const fault = gateway.faults.take(method, path);
	if (!fault) return false;
	entry.fault = fault.id;
	if (fault.spec.latencyMs) await gateway.requestTimers.sleep(fault.spec.latencyMs);
	if (gateway.isClosed()) throw new WixHttpError(503, 'sandbox is closing');
	if (!fault.spec.status) return false;
	const answer = faultAnswer({ ...fault.spec, status: fault.spec.status }, requestId);
	writeResponse(res, answer.status, answer.body, answer.headers);
	return true;
}

function sandboxRequest(
	raw: IncomingMessage,
	method: string,
	url: URL,
	body: Buffer,
	matched: RouteMatch,
	requestId: string,
): SandboxRequest {
	let parsedJson: unknown;
	let jsonParsed = false;
	return {
		method,
		path: url.pathname,
		query: url.searchParams,
		headers: raw.headers,
		params: matched.params,
		body,
		// Parsed on first use, so that a bad body only fails the routes that read JSON.
		json() {
			if (!jsonParsed) {
				parsedJson = parseJsonBody(body);
				jsonParsed = true;
			}
			return parsedJson;
		},
		requestId,
		identity: null,
		raw,
	};
}
