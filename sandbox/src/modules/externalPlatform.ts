/* eslint-disable @n8n/community-nodes/no-restricted-globals -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import { createHash, randomBytes } from 'node:crypto';

import { WixHttpError } from '../context';
import type { SandboxContext, SandboxModule, SandboxRequest } from '../context';
import { pngImage, sniffMedia } from '../lib/mediaBytes';

/**
 * A tiny social-media-like platform, the "other side" of the gallery flows: media posts with captions, its own
 * bearer token, and change notifications POSTed to a webhook target. Not Wix, so its errors are its own shape:
 * `{ error: { code, message } }`.
 */

export interface ExternalMedia {
	id: string;
	caption: string;
	/**
	 * The ID of the item this media was copied from, set by the integration that posted it (a sync puts the Wix item
	 * ID here), or null. Many platforms offer such a field; a sync checks it before creating, so that a lost link
	 * never gives a duplicate.
	 */
	sourceId: string | null;
	url: string;
	mimeType: string;
	size: number;
	sha256: string;
	createdAt: string;
	updatedAt: string;
}

export type ExternalEventName = 'media.created' | 'media.updated' | 'media.deleted';

export interface ExternalEvent {
	event: ExternalEventName;
	media: ExternalMedia;
	id: string;
	occurredAt: string;
}

export interface ExternalDelivery {
	event: ExternalEventName;
	id: string;
	url: string;
	attempt: number;
	status: number | null;
	error?: string;
	deliveredAt: string;
}

export const EXTERNAL_LIST_DEFAULT_LIMIT = 20;
export const EXTERNAL_LIST_MAX_LIMIT = 100;
/** Uploads above this are refused with 413, as real platforms do. */
export const EXTERNAL_MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

interface StoredMedia {
	seq: number;
	id: string;
	caption: string;
	sourceId: string | null;
	mimeType: string;
	bytes: Buffer;
	sha256: string;
	createdAt: number;
	updatedAt: number;
}

export interface ExternalPlatformModule extends SandboxModule {
	name: 'externalPlatform';
	/** The bearer token `/external/v1` accepts. */
	readonly token: string;
	/** Resolves once every queued webhook delivery has been attempted. */
	flushDeliveries(): Promise<void>;
}

function platformError(status: number, code: string, message: string): WixHttpError {
	return new WixHttpError(status, message, undefined, { error: { code, message } });
}

export interface MultipartPart {
	name: string;
	fileName?: string;
	contentType?: string;
	data: Buffer;
}

/** Parameters of a header value like `form-data; name="file"; filename="a b.png"`. */
function headerParameters(value: string): Record<string, string> {
	const parameters: Record<string, string> = {};
	const pattern = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
	for (let match = pattern.exec(value); match; match = pattern.exec(value)) {
		const key = match[1].toLowerCase();
		const raw = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3].trim();
		if (key.endsWith('*')) {
			// RFC 5987: charset'language'percent-encoded
			const encoded = /^[^']*'[^']*'(.*)$/.exec(raw);
			try {
				parameters[key.slice(0, -1)] = decodeURIComponent(encoded ? encoded[1] : raw);
			} catch {
				parameters[key.slice(0, -1)] = raw;
			}
		} else if (!(key in parameters)) {
			parameters[key] = raw;
		}
	}
	return parameters;
}

/** A small multipart/form-data parser (RFC 7578) over a body already in memory. */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
	const boundary = headerParameters(`x${contentType.slice(contentType.indexOf(';'))}`).boundary;
	if (!contentType.toLowerCase().startsWith('multipart/form-data') || !boundary) {
		throw platformError(400, 'bad_request', 'Expected multipart/form-data with a boundary');
	}
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: MultipartPart[] = [];
	let position = body.indexOf(delimiter);
	if (position < 0) throw platformError(400, 'bad_request', 'Multipart body has no boundary line');
	for (;;) {
		position += delimiter.length;
		if (body.subarray(position, position + 2).toString('latin1') === '--') break;
		if (body.subarray(position, position + 2).toString('latin1') === '\r\n') position += 2;
		const headerEnd = body.indexOf('\r\n\r\n', position);
		if (headerEnd < 0) throw platformError(400, 'bad_request', 'Multipart part without headers');
		const headers: Record<string, string> = {};
		for (const line of body.subarray(position, headerEnd).toString('utf8').split('\r\n')) {
			const colon = line.indexOf(':');
			if (colon > 0)
				headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
		if (next < 0) throw platformError(400, 'bad_request', 'Multipart body is truncated');
		const disposition = headerParameters(headers['content-disposition'] ?? '');
		if (disposition.name !== undefined) {
			parts.push({
				name: disposition.name,
				fileName: disposition.filename,
				contentType: headers['content-type'],
				data: body.subarray(headerEnd + 4, next),
			});
		}
		position = next + 2;
	}
	return parts;
}

function parseLimit(raw: string | null): number {
	if (raw === null || raw === '') return EXTERNAL_LIST_DEFAULT_LIMIT;
	const limit = Number(raw);
	if (!Number.isInteger(limit) || limit < 1 || limit > EXTERNAL_LIST_MAX_LIMIT) {
		throw platformError(
			400,
			'bad_request',
			`limit must be an integer from 1 to ${EXTERNAL_LIST_MAX_LIMIT}`,
		);
	}
	return limit;
}

export function createExternalPlatformModule(): ExternalPlatformModule {
	let ctx: SandboxContext;
	// One token per sandbox instance (not per reset), so credentials read before a reset stay valid.
	const token = `ext_${randomBytes(24).toString('hex')}`;
	const media = new Map<string, StoredMedia>();
	let sequence = 0;
	let webhookTarget: { url: string; maxAttempts: number } | null = null;
	let deliveries: ExternalDelivery[] = [];
	let deliveryChain: Promise<void> = Promise.resolve();
	let generation = 0;

	function toJson(stored: StoredMedia): ExternalMedia {
		return {
			id: stored.id,
			caption: stored.caption,
			sourceId: stored.sourceId,
			url: `${ctx.baseUrl()}/external/v1/files/${stored.id}`,
			mimeType: stored.mimeType,
			size: stored.bytes.length,
			sha256: stored.sha256,
			createdAt: new Date(stored.createdAt).toISOString(),
			updatedAt: new Date(stored.updatedAt).toISOString(),
		};
	}

	function authorize(req: SandboxRequest): void {
		const header = req.headers.authorization ?? '';
		const match = /^Bearer\s+(.+)$/i.exec(header);
		if (!match || match[1].trim() !== token) {
			throw platformError(401, 'unauthorized', 'Missing or invalid bearer token');
		}
	}

	/** Deliveries go out one at a time, in order; a reset drops whatever is still queued. */
	function notify(event: ExternalEventName, stored: StoredMedia): void {
		if (!webhookTarget) return;
		const target = webhookTarget;
		const payload: ExternalEvent = {
			event,
			media: toJson(stored),
			id: stored.id,
			occurredAt: new Date(ctx.now()).toISOString(),
		};
		const queuedIn = generation;
		deliveryChain = deliveryChain.then(async () => {
			for (let attempt = 1; attempt <= target.maxAttempts && queuedIn === generation; attempt++) {
				const record: ExternalDelivery = {
					event,
					id: stored.id,
					url: target.url,
					attempt,
					status: null,
					deliveredAt: new Date(ctx.now()).toISOString(),
				};
				try {
					const response = await fetch(target.url, {
						method: 'POST',
						headers: { 'Content-Type': 'application/json', 'X-External-Event': event },
						body: JSON.stringify(payload),
						signal: AbortSignal.timeout(5000),
					});
					await response.arrayBuffer();
					record.status = response.status;
				} catch (error) {
					record.error = error instanceof Error ? error.message : String(error);
				}
				if (queuedIn === generation) deliveries.push(record);
				if (record.status !== null && record.status < 300) return;
				if (attempt < target.maxAttempts)
					await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
			}
		});
	}

	function create(
		bytes: Buffer,
		declaredType: string | undefined,
		caption: string,
		sourceId: string | null = null,
	): StoredMedia {
		if (bytes.length === 0) throw platformError(400, 'bad_request', 'The file is empty');
		if (bytes.length > EXTERNAL_MAX_UPLOAD_BYTES) {
			throw platformError(
				413,
				'too_large',
				`Files are limited to ${EXTERNAL_MAX_UPLOAD_BYTES} bytes`,
			);
		}
		const sniffed = sniffMedia(bytes);
		if (sniffed.kind === 'unknown') {
			throw platformError(
				415,
				'unsupported_media',
				`Not an image or video (declared ${declaredType ?? 'nothing'})`,
			);
		}
		const now = ctx.now();
		const stored: StoredMedia = {
			seq: ++sequence,
			id: `med_${randomBytes(8).toString('hex')}`,
			caption,
			sourceId,
			mimeType: sniffed.mimeType,
			bytes,
			sha256: createHash('sha256').update(bytes).digest('hex'),
			createdAt: now,
			updatedAt: now,
		};
		media.set(stored.id, stored);
		notify('media.created', stored);
		return stored;
	}

	function update(id: string, body: unknown): StoredMedia {
		const stored = media.get(id);
		if (!stored) throw platformError(404, 'not_found', `No media ${id}`);
		const caption = (body as { caption?: unknown } | null)?.caption;
		if (typeof caption !== 'string')
			throw platformError(400, 'bad_request', 'caption must be a string');
		stored.caption = caption;
		stored.updatedAt = Math.max(ctx.now(), stored.updatedAt + 1);
		notify('media.updated', stored);
		return stored;
	}

	function remove(id: string): StoredMedia {
		const stored = media.get(id);
		if (!stored) throw platformError(404, 'not_found', `No media ${id}`);
		media.delete(id);
		notify('media.deleted', stored);
		return stored;
	}

	async function createFromRequest(req: SandboxRequest): Promise<StoredMedia> {
		const contentType = String(req.headers['content-type'] ?? '');
		if (contentType.toLowerCase().startsWith('multipart/form-data')) {
			const parts = parseMultipart(req.body, contentType);
			const file = parts.find((part) => part.name === 'file');
			if (!file) throw platformError(400, 'bad_request', 'The form has no "file" part');
			const caption = parts.find((part) => part.name === 'caption')?.data.toString('utf8') ?? '';
			const sourceId = parts.find((part) => part.name === 'sourceId')?.data.toString('utf8');
			return create(Buffer.from(file.data), file.contentType, caption, checkSourceId(sourceId));
		}
		const body = req.json() as { url?: unknown; caption?: unknown; sourceId?: unknown } | null;
		if (!body || typeof body.url !== 'string') {
			throw platformError(
				400,
				'bad_request',
				'Send multipart/form-data with a "file" part, or JSON {url, caption}',
			);
		}
		if (body.caption !== undefined && typeof body.caption !== 'string') {
			throw platformError(400, 'bad_request', 'caption must be a string');
		}
		const sourceId = checkSourceId(body.sourceId);
		let response: Response;
		try {
			response = await fetch(body.url, { signal: AbortSignal.timeout(30000) });
		} catch (error) {
			throw platformError(
				422,
				'fetch_failed',
				`Could not fetch ${body.url}: ${(error as Error).message}`,
			);
		}
		if (!response.ok) {
			await response.arrayBuffer().catch(() => undefined);
			throw platformError(422, 'fetch_failed', `Fetching ${body.url} answered ${response.status}`);
		}
		const bytes = Buffer.from(await response.arrayBuffer());
		return create(
			bytes,
			response.headers.get('content-type') ?? undefined,
			body.caption ?? '',
			sourceId,
		);
	}

	function checkSourceId(value: unknown): string | null {
		if (value === undefined || value === null || value === '') return null;
		if (typeof value !== 'string' || value.length > 200) {
			throw platformError(
				400,
				'bad_request',
				'sourceId must be a string of at most 200 characters',
			);
		}
		return value;
	}

	function list(req: SandboxRequest): { items: ExternalMedia[]; nextCursor: string | null } {
		const limit = parseLimit(req.query.get('limit'));
		const cursor = req.query.get('cursor');
		let after = 0;
		if (cursor) {
			after = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
			if (!Number.isInteger(after) || after < 0)
				throw platformError(400, 'bad_request', 'Invalid cursor');
		}
		const sourceId = req.query.get('sourceId');
		const ordered = [...media.values()]
			.filter((stored) => stored.seq > after)
			.filter((stored) => sourceId === null || stored.sourceId === sourceId)
			.sort((a, b) => a.seq - b.seq);
		const page = ordered.slice(0, limit);
		const nextCursor =
			ordered.length > limit
				? Buffer.from(String(page[page.length - 1].seq), 'utf8').toString('base64url')
				: null;
		return { items: page.map(toJson), nextCursor };
	}

	/** Control routes act as a person using the platform's own app: no token, same notifications. */
	function controlCreate(req: SandboxRequest): StoredMedia {
		const body = (req.json() ?? {}) as {
			caption?: unknown;
			base64?: unknown;
			width?: unknown;
			height?: unknown;
		};
		const caption = typeof body.caption === 'string' ? body.caption : '';
		if (typeof body.base64 === 'string')
			return create(Buffer.from(body.base64, 'base64'), undefined, caption);
		const width = typeof body.width === 'number' ? body.width : 64;
		const height = typeof body.height === 'number' ? body.height : 48;
		return create(pngImage({ width, height, seed: sequence + 1 }), 'image/png', caption);
	}

	async function flushDeliveries(): Promise<void> {
		let chain: Promise<void>;
		do {
			chain = deliveryChain;
			await chain;
		} while (chain !== deliveryChain);
	}

	return {
		name: 'externalPlatform',
		token,
		flushDeliveries,

		register(context) {
			ctx = context;
			const api = '/external/v1';
			ctx.route(
				'POST',
				`${api}/media`,
				async (req) => {
					authorize(req);
					return { status: 201, body: toJson(await createFromRequest(req)) };
				},
				{ auth: 'none' },
			);
			ctx.route(
				'GET',
				`${api}/media`,
				(req) => {
					authorize(req);
					return { body: list(req) };
				},
				{ auth: 'none' },
			);
			ctx.route(
				'GET',
				`${api}/media/:id`,
				(req) => {
					authorize(req);
					const stored = media.get(req.params.id);
					if (!stored) throw platformError(404, 'not_found', `No media ${req.params.id}`);
					return { body: toJson(stored) };
				},
				{ auth: 'none' },
			);
			ctx.route(
				'PATCH',
				`${api}/media/:id`,
				(req) => {
					authorize(req);
					return { body: toJson(update(req.params.id, req.json())) };
				},
				{ auth: 'none' },
			);
			ctx.route(
				'DELETE',
				`${api}/media/:id`,
				(req) => {
					authorize(req);
					return { body: { id: remove(req.params.id).id, deleted: true } };
				},
				{ auth: 'none' },
			);
			ctx.route(
				'GET',
				`${api}/files/:id`,
				(req) => {
					const stored = media.get(req.params.id);
					if (!stored) throw platformError(404, 'not_found', `No file ${req.params.id}`);
					return { body: stored.bytes, headers: { 'Content-Type': stored.mimeType } };
				},
				{ auth: 'none' },
			);

			ctx.route('GET', '/_sandbox/external/credentials', () => ({
				body: { baseUrl: `${ctx.baseUrl()}${api}`, token },
			}));
			ctx.route('PUT', '/_sandbox/external/webhook-target', (req) => {
				const body = (req.json() ?? {}) as { url?: unknown; maxAttempts?: unknown };
				if (body.url === null || body.url === undefined) {
					webhookTarget = null;
				} else if (typeof body.url === 'string' && /^https?:\/\//.test(body.url)) {
					const maxAttempts =
						typeof body.maxAttempts === 'number' ? Math.max(1, Math.floor(body.maxAttempts)) : 1;
					webhookTarget = { url: body.url, maxAttempts };
				} else {
					throw platformError(400, 'bad_request', 'url must be an http(s) URL or null');
				}
				return { body: { webhookTarget } };
			});
			ctx.route('GET', '/_sandbox/external/webhooks', () => ({ body: deliveries }));
			ctx.route('POST', '/_sandbox/external/webhooks/flush', async () => {
				await flushDeliveries();
				return { body: { flushed: true, deliveries: deliveries.length } };
			});
			ctx.route('GET', '/_sandbox/external/media', () => ({
				body: [...media.values()].sort((a, b) => a.seq - b.seq).map(toJson),
			}));
			ctx.route('POST', '/_sandbox/external/media', (req) => ({
				status: 201,
				body: toJson(controlCreate(req)),
			}));
			ctx.route('PATCH', '/_sandbox/external/media/:id', (req) => ({
				body: toJson(update(req.params.id, req.json())),
			}));
			ctx.route('DELETE', '/_sandbox/external/media/:id', (req) => ({
				body: { id: remove(req.params.id).id, deleted: true },
			}));
		},

		reset(context) {
			ctx = context;
			generation++;
			media.clear();
			sequence = 0;
			webhookTarget = null;
			deliveries = [];
		},

		dump() {
			return {
				token,
				webhookTarget,
				media: [...media.values()].sort((a, b) => a.seq - b.seq).map(toJson),
				deliveries: deliveries.length,
			};
		},
	};
}
