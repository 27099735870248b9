import type { RouteDefinition, RouteHandler, RouteResult, SandboxRequest } from '../../context';
import { proxiedHost } from '../../core/platformProxy';
import { NOT_JSON, tryParseJson } from '../../core/http';
import { recordingRefusals } from '../../core/routing';
import { describeReceivedFile } from '../../lib/receivedFiles';
import type { ReceivedFile } from '../../lib/receivedFiles';
import { LINKEDIN_MEMBER, LINKEDIN_ORGANIZATION } from './store';
import type { LinkedInStore } from './store';
import { LINKEDIN_IMAGE_TYPES, LINKEDIN_LIMITS, linkedInError, schemaError } from './types';

/**
 * Routes under `/linkedin`, which the platform proxy serves for https://api.linkedin.com (`/rest/...`, `/v2/...`)
 * and https://www.linkedin.com (`/dms-uploads/...`, where upload URLs point). Every call needs the member's bearer
 * token; `/rest/` calls also need a `LinkedIn-Version` header.
 */

export const LINKEDIN_PREFIX = '/linkedin';

const accessDenied = (what: string) =>
	linkedInError(403, `Not enough permissions to access: ${what}`, {
		code: 'ACCESS_DENIED',
		serviceErrorCode: 100,
	});

function checkToken(req: SandboxRequest, accessToken: string): void {
	const match = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
	if (!match || match[1].trim() !== accessToken) {
		throw linkedInError(401, 'Invalid access token', {
			code: 'INVALID_ACCESS_TOKEN',
			serviceErrorCode: 65600,
		});
	}
}

function checkVersion(req: SandboxRequest): void {
	const version = req.headers['linkedin-version'];
	if (version === undefined || version === '') {
		throw linkedInError(
			400,
			'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
			{ code: 'VERSION_MISSING' },
		);
	}
	if (!/^\d{6}(\.\d{2})?$/.test(String(version))) {
		throw linkedInError(426, `Requested version ${String(version)} is not active`, {
			code: 'NONEXISTENT_VERSION',
		});
	}
}

/** A JSON object body, or LinkedIn's refusal of anything else. */
function jsonBody(req: SandboxRequest): Record<string, unknown> {
	const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
	if (!contentType.startsWith('application/json')) {
		throw linkedInError(415, `Unsupported Media Type: ${contentType || 'none'}`, {
			code: 'UNSUPPORTED_MEDIA_TYPE',
		});
	}
	const parsed = req.body.length === 0 ? NOT_JSON : tryParseJson(req.body.toString('utf8'));
	if (parsed === NOT_JSON || typeof parsed !== 'object' || parsed === null) {
		throw linkedInError(400, 'Empty entity body is not allowed for create method request');
	}
	return parsed as Record<string, unknown>;
}

function requiredString(body: Record<string, unknown>, field: string): string {
	const value = body[field];
	if (value === undefined || value === null) {
		throw schemaError(`/${field}`, 'field is required but not found and has no default value');
	}
	if (typeof value !== 'string') throw schemaError(`/${field}`, 'is not a string');
	return value;
}

/** Where this request's caller reaches an upload URL: www.linkedin.com through the proxy, else the sandbox. */
function uploadUrlFor(req: SandboxRequest, sandboxBaseUrl: string): (key: string) => string {
	const origin = proxiedHost(req.raw)
		? 'https://www.linkedin.com'
		: `${sandboxBaseUrl}${LINKEDIN_PREFIX}`;
	return (key) => `${origin}/dms-uploads/sp/${key}/uploadedImage/0`;
}

function initializeUpload(
	store: LinkedInStore,
	req: SandboxRequest,
	sandboxBaseUrl: string,
): RouteResult {
	if (req.query.get('action') !== 'initializeUpload') {
		throw linkedInError(400, `Unsupported action: ${req.query.get('action') ?? 'none'}`);
	}
	const body = jsonBody(req);
	const request = body.initializeUploadRequest as Record<string, unknown> | undefined;
	if (!request || typeof request !== 'object') {
		throw schemaError(
			'/initializeUploadRequest',
			'field is required but not found and has no default value',
		);
	}
	const owner = request.owner;
	if (typeof owner !== 'string' || owner === '') {
		throw schemaError(
			'/initializeUploadRequest/owner',
			'field is required but not found and has no default value',
		);
	}
	if (!store.mayActAs(owner)) throw accessDenied(`images.initializeUpload for ${owner}`);
	const image = store.registerImage(
		owner,
		uploadUrlFor(req, sandboxBaseUrl),
		proxiedHost(req.raw),
		LINKEDIN_LIMITS.uploadUrlTtlMs,
	);
	return {
		body: {
			value: {
				uploadUrlExpiresAt: image.uploadUrlExpiresAt,
				uploadUrl: image.uploadUrl,
				image: image.urn,
			},
		},
	};
}

/**
 * The image bytes, PUT (LinkedIn's documented method) or POST (what n8n's node sends). Content type: a JPG, GIF or PNG
 * type, or none / application/octet-stream (the bytes decide); the bytes must be such an image, of the type declared.
 */
function upload(store: LinkedInStore, req: SandboxRequest, now: number): RouteResult {
	const image = store.imageByUploadKey(req.params.key);
	if (!image) throw linkedInError(404, 'Not Found');
	if (now > image.uploadUrlExpiresAt) throw linkedInError(403, 'The upload URL has expired');
	if (image.status !== 'WAITING_UPLOAD') {
		throw linkedInError(400, `${image.urn} has already been uploaded`);
	}
	if (req.body.length === 0) throw linkedInError(400, 'The upload is empty');
	const declared = String(req.headers['content-type'] ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	const described = describeReceivedFile(req.body, declared || null, null);
	const acceptedTypes: readonly string[] = LINKEDIN_IMAGE_TYPES;
	if (declared && declared !== 'application/octet-stream' && !acceptedTypes.includes(declared)) {
		throw linkedInError(
			400,
			`Unsupported content type ${declared}: upload a JPG, GIF or PNG image`,
		);
	}
	if (!acceptedTypes.includes(described.detectedType)) {
		throw linkedInError(400, 'The uploaded file is not a JPG, GIF or PNG image');
	}
	if (declared && declared !== 'application/octet-stream' && declared !== described.detectedType) {
		throw linkedInError(
			400,
			`The uploaded bytes are ${described.detectedType}, not the declared ${declared}`,
		);
	}
	image.file = described;
	image.upload = { method: req.method, contentType: declared };
	image.status = 'AVAILABLE';
	return { status: 201 };
}

function createPost(store: LinkedInStore, req: SandboxRequest): RouteResult {
	const body = jsonBody(req);
	const author = requiredString(body, 'author');
	const commentary = requiredString(body, 'commentary');
	const visibility = requiredString(body, 'visibility');
	const lifecycleState = requiredString(body, 'lifecycleState');
	if (body.distribution === undefined) {
		throw schemaError('/distribution', 'field is required but not found and has no default value');
	}
	if (commentary.length > LINKEDIN_LIMITS.commentaryChars) {
		throw schemaError(
			'/commentary',
			`length of ${commentary.length} exceeds the maximum allowed length of ${LINKEDIN_LIMITS.commentaryChars}`,
		);
	}
	if (!store.mayActAs(author)) throw accessDenied(`partnerApiPostsExternal.CREATE for ${author}`);
	const media = (body.content as { media?: { id?: unknown; title?: unknown } } | undefined)?.media;
	let imageUrn: string | null = null;
	let image: ReceivedFile | null = null;
	if (media !== undefined) {
		if (typeof media.id !== 'string' || !media.id.startsWith('urn:li:image:')) {
			throw schemaError('/content/media/id', 'is not a valid image URN');
		}
		imageUrn = media.id;
		const registered = store.imageByUrn(imageUrn);
		if (!registered) throw linkedInError(400, `Invalid content: image ${imageUrn} does not exist`);
		if (registered.status !== 'AVAILABLE' || !registered.file) {
			throw linkedInError(
				400,
				`Invalid content: image ${imageUrn} is not available (status ${registered.status})`,
			);
		}
		if (registered.owner !== author) {
			throw linkedInError(
				400,
				`Invalid content: image ${imageUrn} is owned by ${registered.owner}, not by the author ${author}`,
			);
		}
		image = registered.file;
	}
	const post = store.recordPost({
		author,
		commentary,
		visibility,
		lifecycleState,
		imageUrn,
		mediaTitle: typeof media?.title === 'string' ? media.title : null,
		image,
		via: proxiedHost(req.raw),
	});
	return { status: 201, headers: { 'x-restli-id': post.urn, 'x-linkedin-id': post.urn } };
}

export function linkedInRoutes(
	store: LinkedInStore,
	accessToken: string,
	ctx: { baseUrl(): string; now(): number },
): RouteDefinition[] {
	/** Checks the token (and the version for /rest/), records a refusal. */
	const route = (method: string, path: string, handler: RouteHandler): RouteDefinition => ({
		method,
		path: `${LINKEDIN_PREFIX}${path}`,
		auth: 'none',
		handler: recordingRefusals(
			(req, res) => {
				checkToken(req, accessToken);
				if (path.startsWith('/rest/')) checkVersion(req);
				return handler(req, res);
			},
			(req, refusal) =>
				store.reject({
					endpoint: `${req.method} ${path}`,
					status: refusal.status,
					message: refusal.message,
					via: proxiedHost(req.raw),
				}),
		),
	});
	const uploadPath = '/dms-uploads/sp/:key/uploadedImage/0';
	return [
		route('POST', '/rest/images', (req) => initializeUpload(store, req, ctx.baseUrl())),
		route('GET', '/rest/images/:urn', (req) => {
			const image = store.imageByUrn(req.params.urn);
			if (!image) throw linkedInError(404, `Image ${req.params.urn} not found`);
			return { body: { id: image.urn, owner: image.owner, status: image.status } };
		}),
		route('PUT', uploadPath, (req) => upload(store, req, ctx.now())),
		route('POST', uploadPath, (req) => upload(store, req, ctx.now())),
		route('POST', '/rest/posts', (req) => createPost(store, req)),
		route('GET', '/v2/userinfo', () => ({
			body: {
				sub: LINKEDIN_MEMBER.id,
				name: LINKEDIN_MEMBER.name,
				given_name: LINKEDIN_MEMBER.givenName,
				family_name: LINKEDIN_MEMBER.familyName,
				email: LINKEDIN_MEMBER.email,
				email_verified: true,
				locale: { country: 'US', language: 'en' },
			},
		})),
	];
}

export function linkedInControlRoutes(
	store: LinkedInStore,
	accessToken: string,
): RouteDefinition[] {
	return [
		{
			method: 'GET',
			path: '/_sandbox/linkedin',
			handler: () => ({
				body: {
					accessToken,
					member: LINKEDIN_MEMBER,
					organization: LINKEDIN_ORGANIZATION,
					limits: LINKEDIN_LIMITS,
					images: store.images,
					posts: store.posts,
					rejections: store.rejections,
				},
			}),
		},
	];
}
