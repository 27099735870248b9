import type { RouteDefinition, RouteHandler, SandboxRequest } from '../../context';
import { pngImage } from '../../lib/mediaBytes';
import { parseMultipart } from './multipart';
import type { PlatformNotifications } from './notifications';
import type { ExternalMediaStore } from './store';
import { platformError } from './types';
import type { StoredMedia } from './types';

/**
 * The platform's API (`/external/v1`, its own bearer token, not Wix's auth) and its control routes
 * (`/_sandbox/external/...`), which act as a person using the platform's own app: no token, same notifications.
 */

const API = '/external/v1';

function checkSourceId(value: unknown): string | null {
	if (value === undefined || value === null || value === '') return null;
	if (typeof value !== 'string' || value.length > 200) {
		throw platformError(400, 'bad_request', 'sourceId must be a string of at most 200 characters');
	}
	return value;
}

/** A post from a multipart upload (`file`, `caption`, `sourceId` parts) or from JSON `{ url, caption, sourceId }`. */
async function createFromRequest(
	store: ExternalMediaStore,
	req: SandboxRequest,
): Promise<StoredMedia> {
	const contentType = String(req.headers['content-type'] ?? '');
	if (contentType.toLowerCase().startsWith('multipart/form-data')) {
		const parts = parseMultipart(req.body, contentType);
		const file = parts.find((part) => part.name === 'file');
		if (!file) throw platformError(400, 'bad_request', 'The form has no "file" part');
		const caption = parts.find((part) => part.name === 'caption')?.data.toString('utf8') ?? '';
		const sourceId = parts.find((part) => part.name === 'sourceId')?.data.toString('utf8');
		return store.create(Buffer.from(file.data), file.contentType, caption, checkSourceId(sourceId));
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
	return store.create(
		bytes,
		response.headers.get('content-type') ?? undefined,
		body.caption ?? '',
		sourceId,
	);
}

export function externalPlatformRoutes(
	store: ExternalMediaStore,
	token: string,
): RouteDefinition[] {
	/** A route of the platform's API: its own bearer token, checked before anything else. */
	const authorized = (method: string, path: string, handler: RouteHandler): RouteDefinition => ({
		method,
		path: `${API}${path}`,
		handler: (req, res) => {
			const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
			if (!match || match[1].trim() !== token) {
				throw platformError(401, 'unauthorized', 'Missing or invalid bearer token');
			}
			return handler(req, res);
		},
		auth: 'none',
	});
	return [
		authorized('POST', '/media', async (req) => ({
			status: 201,
			body: store.toJson(await createFromRequest(store, req)),
		})),
		authorized('GET', '/media', (req) => ({
			body: store.list(req.query.get('limit'), req.query.get('cursor'), req.query.get('sourceId')),
		})),
		authorized('GET', '/media/:id', (req) => {
			const stored = store.find(req.params.id);
			if (!stored) throw platformError(404, 'not_found', `No media ${req.params.id}`);
			return { body: store.toJson(stored) };
		}),
		authorized('PATCH', '/media/:id', (req) => ({
			body: store.toJson(store.update(req.params.id, req.json())),
		})),
		authorized('DELETE', '/media/:id', (req) => ({
			body: { id: store.remove(req.params.id).id, deleted: true },
		})),
		{
			method: 'GET',
			path: `${API}/files/:id`,
			handler: (req) => {
				const stored = store.find(req.params.id);
				if (!stored) throw platformError(404, 'not_found', `No file ${req.params.id}`);
				return { body: stored.bytes, headers: { 'Content-Type': stored.mimeType } };
			},
			auth: 'none',
		},
	];
}

/** A post made by hand: given bytes (`base64`), or a drawn PNG of `width` × `height`. */
function controlCreate(store: ExternalMediaStore, req: SandboxRequest): StoredMedia {
	const body = (req.json() ?? {}) as {
		caption?: unknown;
		base64?: unknown;
		width?: unknown;
		height?: unknown;
	};
	const caption = typeof body.caption === 'string' ? body.caption : '';
	if (typeof body.base64 === 'string')
		return store.create(Buffer.from(body.base64, 'base64'), undefined, caption);
	const width = typeof body.width === 'number' ? body.width : 64;
	const height = typeof body.height === 'number' ? body.height : 48;
	return store.create(pngImage({ width, height, seed: store.sequence + 1 }), 'image/png', caption);
}

export function externalPlatformControlRoutes(
	store: ExternalMediaStore,
	notifications: PlatformNotifications,
	token: string,
): RouteDefinition[] {
	return [
		{
			method: 'GET',
			path: '/_sandbox/external/credentials',
			handler: () => ({ body: { baseUrl: store.apiUrl(), token } }),
		},
		{
			method: 'PUT',
			path: '/_sandbox/external/webhook-target',
			handler: (req) => ({
				body: { webhookTarget: notifications.setTarget(req.json() ?? {}) },
			}),
		},
		{
			method: 'GET',
			path: '/_sandbox/external/webhooks',
			handler: () => ({ body: notifications.attempts() }),
		},
		{
			method: 'POST',
			path: '/_sandbox/external/webhooks/flush',
			handler: async () => {
				await notifications.flush();
				return { body: { flushed: true, deliveries: notifications.attempts().length } };
			},
		},
		{
			method: 'GET',
			path: '/_sandbox/external/media',
			handler: () => ({ body: store.all().map((stored) => store.toJson(stored)) }),
		},
		{
			method: 'POST',
			path: '/_sandbox/external/media',
			handler: (req) => ({ status: 201, body: store.toJson(controlCreate(store, req)) }),
		},
		{
			method: 'PATCH',
			path: '/_sandbox/external/media/:id',
			handler: (req) => ({ body: store.toJson(store.update(req.params.id, req.json())) }),
		},
		{
			method: 'DELETE',
			path: '/_sandbox/external/media/:id',
			handler: (req) => ({ body: { id: store.remove(req.params.id).id, deleted: true } }),
		},
	];
}
