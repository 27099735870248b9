/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { WixHttpError } from '../errors';

/** Reading requests and writing answers the way Wix's REST gateway does. */

export const NOT_JSON = Symbol('not JSON');

export function tryParseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return NOT_JSON;
	}
}

/** `{}` for an empty body, as Wix treats a missing body like an empty message. */
export function parseJsonBody(body: Buffer): unknown {
	if (body.length === 0) return {};
	const parsed = tryParseJson(body.toString('utf8'));
	if (parsed === NOT_JSON) {
		throw new WixHttpError(400, 'INVALID_ARGUMENT: request body is not valid JSON', {
			validationError: {
				fieldViolations: [
					{
						field: 'body',
						description: 'not valid JSON',
						violatedRule: 'FORMAT',
						ruleName: 'VALIDATION_ERROR',
					},
				],
			},
		});
	}
	return parsed;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** Wix request ids look like `<unix seconds>.<digits>`. */
export function newRequestId(): string {
	const digits = Array.from(randomBytes(10), (byte) => (byte % 10).toString()).join('');
	return `${Math.floor(Date.now() / 1000)}.${digits}`;
}

/** Writes `body` as JSON (a Buffer as it is); nothing for an empty body; only ends an answer already started. */
export function writeResponse(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	if (res.headersSent) {
		res.end();
		return;
	}
	for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
	if (body === undefined || body === null || body === '') {
		res.statusCode = status;
		res.end();
		return;
	}
	const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
	if (!res.hasHeader('content-type')) {
		res.setHeader(
			'Content-Type',
			Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json; charset=utf-8',
		);
	}
	res.setHeader('Content-Length', payload.length);
	res.statusCode = status;
	res.end(payload);
}

/** A thrown WixHttpError as Wix answers it; anything else is a bug in a handler: logged, and an empty 500. */
export function writeError(
	res: ServerResponse,
	error: unknown,
	requestId: string,
	log: (line: string) => void,
): void {
	if (error instanceof WixHttpError) {
		if (error.rawBody !== undefined) {
			writeResponse(res, error.status, error.rawBody);
		} else if (error.status >= 500) {
			// Wix answers system errors with an empty body by design.
			writeResponse(res, error.status, undefined);
		} else {
			writeResponse(res, error.status, {
				message: error.message,
				details: { ...error.details, requestId },
			});
		}
		return;
	}
	log(`handler error (${requestId}): ${error instanceof Error ? error.stack : String(error)}`);
	writeResponse(res, 500, undefined);
}
