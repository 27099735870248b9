import { randomUUID } from 'node:crypto';

import { WixHttpError, wixErrorBody } from '../errors';

/**
 * Injected failures (`POST /_sandbox/faults`): a fault matches requests by method and path, may let some pass
 * first, then answers (or delays) a given number of them in place of the API.
 */

/** A failure injected by `POST /_sandbox/faults`. */
export interface FaultSpec {
	method?: string;
	/** Regular expression source, tested against the request path (without query string). */
	path: string;
	status?: number;
	/** Seconds, sent as the `Retry-After` header. */
	retryAfter?: number;
	latencyMs?: number;
	/** Sent instead of the default body; 5xx faults have an empty body unless this is given. */
	body?: unknown;
	/** How many matching requests the fault hits (default 1). */
	count?: number;
	/**
	 * How many matching requests (counted from when the fault is added, including ones another fault answered)
	 * pass before this fault starts to hit (default 0).
	 */
	skip?: number;
}

export interface ActiveFault {
	id: string;
	method?: string;
	pathRegex: RegExp;
	spec: FaultSpec;
	toSkip: number;
	remaining: number;
}

/** What a fault with a status answers in place of the API. */
export interface FaultAnswer {
	status: number;
	body: unknown;
	headers: Record<string, string>;
}

function compileFaultPath(source: string): RegExp {
	let problem = '';
	try {
		return new RegExp(source);
	} catch (error) {
		problem = error instanceof Error ? error.message : String(error);
	}
	throw new WixHttpError(400, `path is not a valid regular expression: ${problem}`);
}

export class FaultInjector {
	private faults: ActiveFault[] = [];

	/** Checks and arms a fault; answers its id. */
	add(spec: FaultSpec): string {
		if (typeof spec.path !== 'string' || spec.path === '') {
			throw new WixHttpError(400, 'path (a regular expression source) is required');
		}
		const pathRegex = compileFaultPath(spec.path);
		const count = spec.count ?? 1;
		if (!Number.isInteger(count) || count < 1) {
			throw new WixHttpError(400, 'count must be a positive integer');
		}
		const skip = spec.skip ?? 0;
		if (!Number.isInteger(skip) || skip < 0) {
			throw new WixHttpError(400, 'skip must be a non-negative integer');
		}
		if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 100)) {
			throw new WixHttpError(400, 'status must be an HTTP status code');
		}
		const fault: ActiveFault = {
			id: randomUUID(),
			method: spec.method?.toUpperCase(),
			pathRegex,
			spec,
			toSkip: skip,
			remaining: count,
		};
		this.faults.push(fault);
		return fault.id;
	}

	/** The armed faults as `GET /_sandbox/faults` shows them. */
	list() {
		return this.faults.map((fault) => ({
			...fault.spec,
			id: fault.id,
			toSkip: fault.toSkip,
			remaining: fault.remaining,
		}));
	}

	clear(): void {
		this.faults = [];
	}

	/** The fault that hits this request, if any; counts the request against every matching fault. */
	take(method: string, path: string): ActiveFault | undefined {
		let chosen: ActiveFault | undefined;
		for (const fault of this.faults) {
			if (fault.method && fault.method !== method) continue;
			if (!fault.pathRegex.test(path)) continue;
			// Every matching request counts towards each fault's skip, so staggered faults compose predictably.
			if (fault.toSkip > 0) fault.toSkip--;
			else if (!chosen) chosen = fault;
		}
		if (!chosen) return undefined;
		chosen.remaining--;
		if (chosen.remaining === 0) this.faults = this.faults.filter((fault) => fault !== chosen);
		return chosen;
	}
}

/** The answer of a fault with a status: Wix's error body (429 as rate limiting) unless the fault gives one. */
export function faultAnswer(spec: FaultSpec & { status: number }, requestId: string): FaultAnswer {
	const status = spec.status;
	const headers: Record<string, string> = {};
	if (spec.retryAfter !== undefined) headers['Retry-After'] = String(spec.retryAfter);
	let body: unknown = spec.body;
	if (body === undefined && status < 500) {
		body =
			status === 429
				? wixErrorBody(
						'Too Many Requests',
						'RESOURCE_EXHAUSTED',
						'Too many requests, try again later',
						requestId,
					)
				: wixErrorBody(
						`Injected fault ${status}`,
						'INJECTED_FAULT',
						'Failure injected by the sandbox',
						requestId,
					);
	}
	return { status, body, headers };
}
