import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** What went wrong with one HTTP exchange, extracted from whatever n8n's HTTP helpers threw. */
export interface HttpFailure {
	/** HTTP status, or undefined when no answer came back (connection refused, reset, timeout). */
	status?: number;
	/** Node's / axios' error code for network failures, e.g. `ECONNRESET`. */
	networkCode?: string;
	headers: Record<string, string>;
	body: unknown;
	/** The thrown error's own message, used only when Wix sent nothing better. */
	message: string;
}

interface WixFieldViolation {
	field?: string;
	description?: string;
	violatedRule?: string;
}

interface WixErrorBody {
	message?: string;
	details?: {
		applicationError?: { code?: string; description?: string };
		validationError?: { fieldViolations?: WixFieldViolation[] };
	};
	error?: string;
	error_description?: string;
}

const NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'ESOCKETTIMEDOUT',
]);

const NETWORK_FAILURES: Record<string, string> = {
	ECONNRESET: 'the connection was dropped',
	EPIPE: 'the connection was dropped',
	ECONNREFUSED: 'the connection was refused',
	ECONNABORTED: 'no answer came in time',
	ETIMEDOUT: 'no answer came in time',
	ERR_SOCKET_CONNECTION_TIMEOUT: 'no answer came in time',
	ESOCKETTIMEDOUT: 'no answer came in time',
	EAI_AGAIN: 'the host name could not be looked up',
	ENOTFOUND: 'the host name was not found',
};

function headersToRecord(headers: unknown): Record<string, string> {
	const record: Record<string, string> = {};
	if (!headers || typeof headers !== 'object') return record;
	const source =
		typeof (headers as { toJSON?: () => unknown }).toJSON === 'function'
			? ((headers as { toJSON: () => unknown }).toJSON() as Record<string, unknown>)
			: (headers as Record<string, unknown>);
	for (const [name, value] of Object.entries(source)) {
		if (value !== undefined && value !== null) record[name.toLowerCase()] = String(value);
	}
	return record;
}

function parseBody(data: unknown): unknown {
	if (data === undefined || data === null || data === '') return undefined;
	let text: string | undefined;
	if (typeof data === 'string') text = data;
	else if (Buffer.isBuffer(data)) text = data.toString('utf8');
	else if (data instanceof ArrayBuffer) text = Buffer.from(data).toString('utf8');
	if (text === undefined) return data;
	try {
		return JSON.parse(text);
	} catch {
		return text.length > 500 ? `${text.slice(0, 500)}…` : text;
	}
}

/**
 * n8n's helpers throw axios errors, sometimes wrapped in a NodeApiError (as `cause`). Either way the
 * response is somewhere inside; find it without keeping the request config, which holds the credentials.
 */
export function extractHttpFailure(error: unknown): HttpFailure {
	const candidates: unknown[] = [];
	let current: unknown = error;
	for (let depth = 0; current && depth < 4; depth++) {
		candidates.push(current);
		current = (current as { cause?: unknown }).cause;
	}
	const withResponse = candidates.find(
		(candidate) => (candidate as { response?: { status?: number } }).response?.status !== undefined,
	) as { response: { status: number; headers?: unknown; data?: unknown } } | undefined;
	const withCode = candidates.find((candidate) =>
		NETWORK_CODES.has(String((candidate as { code?: unknown }).code)),
	) as { code: string } | undefined;
	const httpCode = Number((error as { httpCode?: unknown }).httpCode);
	return {
		status:
			withResponse?.response.status ??
			(Number.isInteger(httpCode) && httpCode > 0 ? httpCode : undefined),
		networkCode: withResponse ? undefined : withCode?.code,
		headers: headersToRecord(withResponse?.response.headers),
		body: parseBody(withResponse?.response.data),
		message: error instanceof Error ? error.message : String(error),
	};
}

const STATUS_HINTS: Record<number, string> = {
	400: 'Wix rejected the request as invalid.',
	401: "Wix did not accept the credentials. Check the API key or the app's ID, secret and instance ID.",
	403: "The credentials are valid but lack a permission for this call (for an API key: the site ID, or the key's permissions; for an app: its permission scopes).",
	404: 'Wix could not find what was asked for. Check the ID.',
	409: 'Wix reported a conflict with the current state of the resource.',
	410: 'The link has expired.',
	429: 'Wix is rate-limiting these requests. Wait a minute, or process fewer items at once.',
};

function describeViolations(violations: WixFieldViolation[] | undefined): string[] {
	return (violations ?? []).map((violation) => {
		const rule = violation.violatedRule ? ` (${violation.violatedRule})` : '';
		return `${violation.field ?? 'request'}: ${violation.description ?? 'invalid'}${rule}`;
	});
}

/** Builds the NodeApiError a user sees for a failed Wix call: Wix's own message, its details, and the request id. */
export function toWixApiError(
	node: INode,
	failure: HttpFailure,
	request: { method: string; path: string; attempts: number },
	itemIndex?: number,
): NodeApiError {
	const body = (
		typeof failure.body === 'object' && failure.body !== null ? failure.body : {}
	) as WixErrorBody;
	const requestId = failure.headers['x-wix-request-id'];
	const applicationError = body.details?.applicationError;
	const violations = describeViolations(body.details?.validationError?.fieldViolations);

	let message: string;
	if (failure.status === undefined) {
		message = failure.networkCode
			? `Could not reach Wix: ${NETWORK_FAILURES[failure.networkCode] ?? 'the connection failed'}`
			: failure.message || 'The request to Wix failed';
	} else {
		const wixMessage =
			body.message ||
			applicationError?.description ||
			body.error_description ||
			(typeof failure.body === 'string' ? failure.body : '') ||
			(failure.status >= 500
				? 'Wix had an internal error'
				: failure.status >= 300 && failure.status < 400
					? `the answer was a redirect (HTTP ${failure.status})`
					: `HTTP ${failure.status}`);
		message = `Wix API error ${failure.status}: ${wixMessage}`;
	}

	const descriptionLines: string[] = [];
	if (failure.status !== undefined && STATUS_HINTS[failure.status]) {
		descriptionLines.push(STATUS_HINTS[failure.status]);
	}
	if (failure.status !== undefined && failure.status >= 500) {
		descriptionLines.push("This is a problem on Wix's side; try again later.");
	}
	if (applicationError?.code) {
		descriptionLines.push(
			`Error code: ${applicationError.code}${applicationError.description ? ` (${applicationError.description})` : ''}`,
		);
	}
	if (violations.length) descriptionLines.push(`Invalid fields: ${violations.join('; ')}`);
	// Not in the message: n8n swaps a message naming a network code for its own text ("You can retry the request
	// immediately"), which contradicts what the node says about writes whose outcome is unknown.
	if (failure.networkCode) descriptionLines.push(`Network error: ${failure.networkCode}`);
	descriptionLines.push(`Request: ${request.method} ${request.path}`);
	if (request.attempts > 1) descriptionLines.push(`Attempts: ${request.attempts}`);
	if (requestId) descriptionLines.push(`Wix request ID: ${requestId}`);
	const description = descriptionLines.join('\n');

	const errorResponse: JsonObject = {
		message,
		description,
		httpCode: failure.status === undefined ? null : String(failure.status),
		wixRequestId: requestId ?? null,
		wixErrorCode: applicationError?.code ?? null,
	};
	return new NodeApiError(node, errorResponse, {
		message,
		description,
		httpCode: failure.status === undefined ? undefined : String(failure.status),
		itemIndex,
	});
}
