import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	DEFAULT_RETRY_POLICY,
	assertSafePath,
	credentialHostRefusal,
	decideRedirect,
	isCredentialHost,
	extractHttpFailure,
	paginateByCursor,
	paginateByOffset,
	parseRetryAfter,
	retryDecision,
	signedUrlRefusal,
	toWixApiError,
	UNKNOWN_OUTCOME,
} from '../../nodes/shared/transport';
import type { HttpFailure } from '../../nodes/shared/transport';

const node: INode = {
	id: 'n1',
	name: 'Wix Pro Gallery',
	type: 'n8n-nodes-wix-gallery.wixProGallery',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function failure(overrides: Partial<HttpFailure>): HttpFailure {
	return { headers: {}, body: undefined, message: 'failed', ...overrides };
}

describe('parseRetryAfter', () => {
	it('reads seconds and HTTP dates, and ignores garbage', () => {
		expect(parseRetryAfter('3')).toBe(3000);
		expect(parseRetryAfter('0')).toBe(0);
		const now = Date.parse('2026-11-24T10:00:00Z');
		expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:05 GMT', now)).toBe(5000);
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter(undefined)).toBeUndefined();
	});

	it('reads only whole seconds or an HTTP date: negative, fractional and lists count as absent', () => {
		for (const value of ['-1', '-5', '3, 5', '1.5', '1e3', ' ', '2026-11-24', 'Tuesday']) {
			expect(parseRetryAfter(value)).toBeUndefined();
		}
		const now = Date.parse('2026-11-24T10:00:00Z');
		expect(parseRetryAfter('Tuesday, 24-Nov-26 10:00:07 GMT', now)).toBe(7000);
		expect(parseRetryAfter('Tue Nov 24 10:00:02 2026', now)).toBe(2000);
		expect(parseRetryAfter('Tue, 24 Nov 2026 09:00:00 GMT', now)).toBe(0);
	});
});

describe('retryDecision', () => {
	it('retries a 429 for any method, waiting what Retry-After says', () => {
		const decision = retryDecision(
			failure({ status: 429, headers: { 'retry-after': '2' } }),
			1,
			false,
		);
		expect(decision).toEqual({ retry: true, delayMs: 2000 });
	});

	it('never waits less than the normal backoff, whatever Retry-After says', () => {
		for (const retryAfter of ['0', '-1', '-5', '3, 5', 'garbage']) {
			for (let attempt = 1; attempt < DEFAULT_RETRY_POLICY.maxAttempts; attempt++) {
				const decision = retryDecision(
					failure({ status: 429, headers: { 'retry-after': retryAfter } }),
					attempt,
					false,
				);
				const backoff = DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (attempt - 1);
				expect(decision.retry).toBe(true);
				expect((decision as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(backoff * 0.8);
			}
		}
	});

	it('refuses to wait longer than the policy allows for Retry-After', () => {
		const decision = retryDecision(
			failure({ status: 429, headers: { 'retry-after': '3600' } }),
			1,
			true,
		);
		expect(decision.retry).toBe(false);
		expect(decision).toHaveProperty('reason', 'Wix asked to wait 3600 s before retrying');
	});

	it('retries 5xx and dropped connections only for idempotent requests', () => {
		expect(retryDecision(failure({ status: 503 }), 1, true).retry).toBe(true);
		expect(retryDecision(failure({ networkCode: 'ECONNRESET' }), 1, true).retry).toBe(true);
		const create = retryDecision(failure({ status: 503 }), 1, false);
		expect(create.retry).toBe(false);
		expect(create).toHaveProperty('reason');
		expect(retryDecision(failure({ networkCode: 'ECONNRESET' }), 1, false).retry).toBe(false);
	});

	it('retries a refused connection even for a create, since nothing reached Wix', () => {
		expect(retryDecision(failure({ networkCode: 'ECONNREFUSED' }), 1, false).retry).toBe(true);
	});

	it('never retries client errors, and stops after the last attempt', () => {
		for (const status of [400, 401, 403, 404, 409]) {
			expect(retryDecision(failure({ status }), 1, true).retry).toBe(false);
		}
		expect(
			retryDecision(failure({ status: 503 }), DEFAULT_RETRY_POLICY.maxAttempts, true).retry,
		).toBe(false);
	});

	it('backs off exponentially with a cap', () => {
		const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 20 };
		const delays = [1, 2, 3, 10].map((attempt) => {
			const decision = retryDecision(failure({ status: 500 }), attempt, true, policy);
			return decision.retry ? decision.delayMs : -1;
		});
		expect(delays[0]).toBeGreaterThanOrEqual(policy.baseDelayMs * 0.8);
		expect(delays[0]).toBeLessThanOrEqual(policy.baseDelayMs * 1.2);
		expect(delays[2]).toBeGreaterThanOrEqual(policy.baseDelayMs * 4 * 0.8);
		expect(delays[3]).toBeLessThanOrEqual(policy.maxDelayMs * 1.2);
	});
});

describe('pagination', () => {
	function fakeOffsetSource(total: number, reportTotal: boolean) {
		const calls: Array<{ offset: number; limit: number }> = [];
		const fetchPage = async (offset: number, limit: number) => {
			calls.push({ offset, limit });
			const items = Array.from(
				{ length: Math.max(0, Math.min(limit, total - offset)) },
				(_, i) => offset + i,
			);
			return { items, total: reportTotal ? total : undefined };
		};
		return { calls, fetchPage };
	}

	it('fetches everything in the fewest pages when a total is known', async () => {
		const source = fakeOffsetSource(250, true);
		const all = await paginateByOffset(source.fetchPage, { pageSize: 100 });
		expect(all).toEqual(Array.from({ length: 250 }, (_, i) => i));
		expect(source.calls).toEqual([
			{ offset: 0, limit: 100 },
			{ offset: 100, limit: 100 },
			{ offset: 200, limit: 100 },
		]);
	});

	it('stops at a short page without a total', async () => {
		const source = fakeOffsetSource(250, false);
		expect(await paginateByOffset(source.fetchPage, { pageSize: 100 })).toHaveLength(250);
		expect(source.calls).toHaveLength(3);
	});

	it('never asks for more than the limit', async () => {
		const source = fakeOffsetSource(250, true);
		const some = await paginateByOffset(source.fetchPage, { pageSize: 100, max: 120 });
		expect(some).toHaveLength(120);
		expect(source.calls).toEqual([
			{ offset: 0, limit: 100 },
			{ offset: 100, limit: 20 },
		]);
	});

	it('follows cursors until there is none, never asking for more than the limit', async () => {
		const calls: Array<{ cursor?: string; limit: number }> = [];
		const data = Array.from({ length: 7 }, (_, i) => i);
		const fetchPage = async (cursor: string | undefined, limit: number) => {
			calls.push({ cursor, limit });
			const start = Number(cursor ?? 0);
			const items = data.slice(start, start + limit);
			const next = start + items.length;
			return { items, nextCursor: next < data.length ? String(next) : undefined };
		};
		expect(await paginateByCursor(fetchPage, { pageSize: 3 })).toEqual(data);
		expect(calls.map((call) => call.cursor)).toEqual([undefined, '3', '6']);
		calls.length = 0;
		expect(await paginateByCursor(fetchPage, { pageSize: 3, max: 4 })).toEqual([0, 1, 2, 3]);
		expect(calls).toEqual([
			{ cursor: undefined, limit: 3 },
			{ cursor: '3', limit: 1 },
		]);
	});

	it('fails, with nothing partial, when a cursor comes back', async () => {
		let calls = 0;
		const paging = paginateByCursor(
			async () => {
				calls++;
				return { items: [calls], nextCursor: 'same' };
			},
			{ pageSize: 1 },
		);
		await expect(paging).rejects.toThrow(
			/Paging stopped: a cursor came back a second time after 2 pages \(2 items\)/,
		);
		expect(calls).toBe(2);
	});

	it('fails when an offset source answers the same full page for ever', async () => {
		let calls = 0;
		const paging = paginateByOffset(
			async () => {
				calls++;
				return { items: [1, 2, 3] };
			},
			{ pageSize: 3 },
		);
		await expect(paging).rejects.toThrow(/the same page came back for offset 3/);
		expect(calls).toBe(2);
	});

	it('fails at the page cap when fresh pages and cursors never end', async () => {
		let calls = 0;
		const offsetPaging = paginateByOffset(
			async (offset, limit) => {
				calls++;
				return { items: Array.from({ length: limit }, (_, i) => offset + i) };
			},
			{ pageSize: 10, maxPages: 50 },
		);
		await expect(offsetPaging).rejects.toThrow(
			/the page limit was reached after 50 pages \(500 items\)/,
		);
		expect(calls).toBe(50);
		let cursorCalls = 0;
		const cursorPaging = paginateByCursor(
			async () => {
				cursorCalls++;
				return { items: [cursorCalls], nextCursor: `c${cursorCalls}` };
			},
			{ pageSize: 1 },
		);
		await expect(cursorPaging).rejects.toThrow(/after 1000 pages/);
		expect(cursorCalls).toBe(1000);
	});
});

describe('Wix errors', () => {
	function axiosLikeError(status: number, data: unknown, headers: Record<string, string>) {
		const error = new Error(`Request failed with status code ${status}`) as Error & {
			response: unknown;
			config: unknown;
		};
		error.response = { status, data, headers };
		error.config = { headers: { Authorization: 'SECRET-API-KEY' } };
		return error;
	}

	it('finds the response inside a NodeApiError wrapper', () => {
		const inner = axiosLikeError(
			404,
			{ message: 'Gallery not found' },
			{ 'X-Wix-Request-Id': 'req-1' },
		);
		const wrapped = new NodeApiError(node, inner as never);
		const found = extractHttpFailure(wrapped);
		expect(found.status).toBe(404);
		expect(found.headers['x-wix-request-id']).toBe('req-1');
		expect(found.body).toEqual({ message: 'Gallery not found' });
	});

	it('reads network failures', () => {
		const error = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const found = extractHttpFailure(error);
		expect(found.status).toBeUndefined();
		expect(found.networkCode).toBe('ECONNRESET');
	});

	it('a dropped connection on a write says its outcome is unknown, without n8n\'s "retry immediately"', () => {
		const dropped = failure({ networkCode: 'ECONNRESET' });
		const decision = retryDecision(dropped, 1, false);
		expect(decision).toEqual({ retry: false, reason: UNKNOWN_OUTCOME });
		const error = toWixApiError(node, dropped, {
			method: 'POST',
			path: '/progallery/v2/galleries/g/items',
			attempts: 1,
		});
		expect(error.message).toBe('Could not reach Wix: the connection was dropped');
		expect(error.description).toContain('Network error: ECONNRESET');
		expect(`${error.message} ${error.description}`).not.toMatch(/retry the request immediately/i);
	});

	it("names Wix's message, details, field violations and request id, and never the credentials", () => {
		const found = extractHttpFailure(
			axiosLikeError(
				400,
				{
					message: 'INVALID_ARGUMENT: limit must be at most 10',
					details: {
						validationError: {
							fieldViolations: [
								{ field: 'limit', description: 'must be at most 10', violatedRule: 'MAX' },
							],
						},
					},
				},
				{ 'x-wix-request-id': 'req-42' },
			),
		);
		const error = toWixApiError(
			node,
			found,
			{ method: 'GET', path: '/pro-gallery/v2/galleries', attempts: 1 },
			3,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Wix API error 400: INVALID_ARGUMENT: limit must be at most 10');
		expect(error.description).toContain('limit: must be at most 10 (MAX)');
		expect(error.description).toContain('Wix request ID: req-42');
		expect(error.httpCode).toBe('400');
		expect(error.context.itemIndex).toBe(3);
		expect(
			JSON.stringify({ ...error, message: error.message, description: error.description }),
		).not.toContain('SECRET-API-KEY');
	});

	it('explains an empty 5xx body and the attempts made', () => {
		const error = toWixApiError(
			node,
			failure({ status: 503, headers: { 'x-wix-request-id': 'r' } }),
			{
				method: 'GET',
				path: '/x',
				attempts: 5,
			},
		);
		expect(error.message).toBe('Wix API error 503: Wix had an internal error');
		expect(error.description).toContain('Attempts: 5');
	});

	it('keeps an application error code', () => {
		const error = toWixApiError(
			node,
			failure({
				status: 404,
				body: {
					message: 'Item not found',
					details: { applicationError: { code: 'NOT_FOUND', description: 'no such item' } },
				},
			}),
			{ method: 'GET', path: '/x', attempts: 1 },
		);
		expect(error.description).toContain('Error code: NOT_FOUND (no such item)');
	});
});

describe('isCredentialHost', () => {
	it('accepts only the Base URL host, and its move from http to https', () => {
		const base = 'https://www.wixapis.com';
		expect(isCredentialHost(base, 'https://www.wixapis.com/progallery/v2/galleries')).toBe(true);
		expect(isCredentialHost(base, 'https://WWW.WIXAPIS.COM:443/x')).toBe(true);
		expect(isCredentialHost(base, 'http://www.wixapis.com/x')).toBe(false);
		expect(isCredentialHost(base, 'https://www.wixapis.com:8443/x')).toBe(false);
		expect(isCredentialHost(base, 'https://wixapis.com/x')).toBe(false);
		expect(isCredentialHost(base, 'https://www.wixapis.com.evil.example/x')).toBe(false);
		expect(isCredentialHost(base, 'https://user:pw@www.wixapis.com/x')).toBe(false);
		expect(isCredentialHost('http://127.0.0.1:5000/base', 'https://127.0.0.1/x')).toBe(true);
		expect(isCredentialHost('http://127.0.0.1:5000', 'http://127.0.0.1:5001/x')).toBe(false);
		expect(isCredentialHost(base, 'not a url')).toBe(false);
	});
});

describe('decideRedirect', () => {
	const base = {
		refusal: credentialHostRefusal('https://www.wixapis.com'),
		currentUrl: 'https://www.wixapis.com/a',
		hops: 0,
	};

	it('follows same-host hops: 307/308 for any method, 301/302/303 for reads', () => {
		expect(decideRedirect({ ...base, method: 'POST', status: 307, location: '/b' })).toEqual({
			follow: true,
			url: 'https://www.wixapis.com/b',
			method: 'POST',
		});
		expect(decideRedirect({ ...base, method: 'GET', status: 302, location: '/b?x=1' })).toEqual({
			follow: true,
			url: 'https://www.wixapis.com/b?x=1',
			method: 'GET',
		});
		expect(decideRedirect({ ...base, method: 'PATCH', status: 301, location: '/b' }).follow).toBe(
			false,
		);
	});

	it('refuses other hosts, a missing Location and endless hops, saying why', () => {
		const away = decideRedirect({
			...base,
			method: 'GET',
			status: 302,
			location: 'https://evil.example/x',
		});
		expect(away).toEqual({
			follow: false,
			reason: expect.stringContaining('is on another host, evil.example'),
		});
		expect(decideRedirect({ ...base, method: 'GET', status: 302, location: undefined })).toEqual({
			follow: false,
			reason: expect.stringContaining('without a Location'),
		});
		expect(
			decideRedirect({ ...base, hops: 5, method: 'GET', status: 302, location: '/again' }),
		).toEqual({ follow: false, reason: 'More than 5 redirects in a row' });
	});
});

describe('assertSafePath', () => {
	it('refuses paths whose IDs are empty, dots or hold a slash', () => {
		expect(() => assertSafePath('/progallery/v2/galleries/g1/items/i1')).not.toThrow();
		expect(() => assertSafePath('/progallery/v2/galleries/g1/items?itemsIds=a')).not.toThrow();
		for (const path of [
			'/progallery/v2/galleries/g1/items/..',
			'/progallery/v2/galleries/g1/items/%2E%2E',
			'/progallery/v2/galleries/g1/items/',
			'/progallery/v2/galleries//items',
			'/progallery/v2/galleries/a%2Fb',
			'/progallery/v2/galleries/.',
			'progallery/v2/galleries',
		]) {
			expect(() => assertSafePath(path)).toThrow(/an ID in it is empty or not an ID/);
		}
	});
});

describe('signedUrlRefusal', () => {
	it("allows https on Wix's media hosts, and the Base URL's own host", () => {
		const wix = 'https://www.wixapis.com';
		for (const url of [
			'https://upload.wixmp.com/upload/abc',
			'https://static.wixstatic.com/media/x.jpg',
			'https://video.wixstatic.com/video/x/file.mp4',
			'https://download-files.wix.com/_api/download/file?downloadToken=t',
		]) {
			expect(signedUrlRefusal(url, wix)).toBeUndefined();
		}
		expect(
			signedUrlRefusal('http://127.0.0.1:5000/upload/v1/t', 'http://127.0.0.1:5000'),
		).toBeUndefined();
	});

	it('refuses plain http, other hosts, look-alikes and user info', () => {
		const wix = 'https://www.wixapis.com';
		expect(signedUrlRefusal('http://upload.wixmp.com/upload/abc', wix)).toBe('is not https (http)');
		expect(signedUrlRefusal('https://127.0.0.1/admin', wix)).toMatch(/neither a Wix media host/);
		expect(signedUrlRefusal('https://evilwixmp.com/x', wix)).toMatch(/neither a Wix media host/);
		expect(signedUrlRefusal('https://wixmp.com.evil.example/x', wix)).toMatch(/neither/);
		expect(signedUrlRefusal('https://a:b@upload.wixmp.com/x', wix)).toMatch(
			/user name or password/,
		);
		expect(signedUrlRefusal('http://127.0.0.1:5001/x', 'http://127.0.0.1:5000')).toBe(
			'is not https (http)',
		);
		expect(signedUrlRefusal('not a url', wix)).toBe('is not a valid address');
	});
});
