import type { RouteDefinition, RouteResult, SandboxRequest } from '../../context';
import { proxiedHost } from '../../core/platformProxy';
import { recordingRefusals } from '../../core/routing';
import { describeReceivedFile, fetchMedia } from '../../lib/receivedFiles';
import { readRequestFields, textField } from '../../lib/requestFields';
import { INSTAGRAM_ACCOUNT } from './store';
import type { InstagramStore } from './store';
import { INSTAGRAM_LIMITS, graphError, invalidParameter } from './types';

/**
 * Routes under `/graph`, which the platform proxy serves for https://graph.facebook.com: `/<version>/<node>/<edge>`
 * (the version may be left out, as the Graph API allows), GET or POST, parameters in the query string or the body.
 * Codes and subcodes follow Instagram's documented publishing errors (2207052 media not fetched, 2207005 format,
 * 2207009 aspect ratio, 2207006 container not found); message texts are the emulation's where Instagram's exact
 * wording is not documented.
 */

export const GRAPH_PREFIX = '/graph';

interface GraphCall {
	node: string;
	edge: string | undefined;
	fields: Record<string, unknown>;
	via: string | null;
}

function accessToken(req: SandboxRequest, fields: Record<string, unknown>): string | undefined {
	const header = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
	return textField(fields, 'access_token') ?? header?.[1].trim();
}

function checkToken(req: SandboxRequest, fields: Record<string, unknown>, token: string): void {
	const given = accessToken(req, fields);
	if (given === undefined) {
		throw graphError({
			message: 'An active access token must be used to query information about the current user.',
			code: 2500,
		});
	}
	if (given !== token) {
		throw graphError({
			message: 'Invalid OAuth access token - Cannot parse access token',
			code: 190,
		});
	}
}

const unsupported = (method: string, node: string) =>
	graphError({
		message: `Unsupported ${method.toLowerCase()} request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
		type: 'GraphMethodException',
		code: 100,
		error_subcode: 33,
	});

const notFetched = (url: string, detail: string) =>
	graphError({
		message: 'Only photo or video can be accepted as media type.',
		code: 9004,
		error_subcode: 2207052,
		error_user_title: 'Media download has failed.',
		error_user_msg: `The media could not be fetched from this uri: ${url} (${detail}).`,
	});

async function createContainer(store: InstagramStore, call: GraphCall): Promise<RouteResult> {
	const { fields } = call;
	const mediaType = textField(fields, 'media_type');
	if ((mediaType && mediaType !== 'IMAGE') || textField(fields, 'video_url') !== undefined) {
		throw invalidParameter(
			`(#100) The sandbox emulates image containers only, not media_type ${mediaType ?? 'VIDEO'}`,
		);
	}
	const imageUrl = textField(fields, 'image_url');
	if (imageUrl === undefined) throw invalidParameter('(#100) The parameter image_url is required');
	const caption = textField(fields, 'caption') ?? '';
	if (caption.length > INSTAGRAM_LIMITS.captionChars) {
		throw invalidParameter(
			`(#100) Param caption must be at most ${INSTAGRAM_LIMITS.captionChars} characters long.`,
		);
	}
	if ((caption.match(/#[^\s#]+/g) ?? []).length > INSTAGRAM_LIMITS.hashtags) {
		throw invalidParameter(
			`(#100) A caption may hold at most ${INSTAGRAM_LIMITS.hashtags} hashtags.`,
		);
	}
	const fetched = await fetchMedia(imageUrl, { maxBytes: INSTAGRAM_LIMITS.imageBytes });
	if (!fetched.ok) {
		if (fetched.reason === 'too-large') {
			throw graphError({
				message: 'The image is too large to download. It should be less than 8 MiB.',
				code: 9004,
				error_subcode: 2207004,
			});
		}
		throw notFetched(imageUrl, fetched.detail);
	}
	const file = describeReceivedFile(fetched.bytes, fetched.contentType, null);
	if (file.kind !== 'image') throw notFetched(imageUrl, `its content is ${file.detectedType}`);
	if (file.detectedType !== 'image/jpeg') {
		throw graphError({
			message: 'The image format is not supported.',
			code: 9004,
			error_subcode: 2207005,
			error_user_title: 'Unsupported image format',
			error_user_msg: `The image is ${file.detectedType}; Instagram takes JPEG images only.`,
		});
	}
	if (file.width && file.height) {
		const ratio = file.width / file.height;
		if (ratio < INSTAGRAM_LIMITS.minAspectRatio || ratio > INSTAGRAM_LIMITS.maxAspectRatio) {
			throw graphError({
				message: 'The aspect ratio is not supported.',
				code: 36003,
				error_subcode: 2207009,
				error_user_msg: `The submitted image with aspect ratio ${ratio.toFixed(2)} cannot be published. Please submit an image with a valid aspect ratio.`,
			});
		}
	}
	const container = store.createContainer({
		igUserId: call.node,
		imageUrl,
		caption,
		file,
		via: call.via,
	});
	return { body: { id: container.id } };
}

function publish(store: InstagramStore, call: GraphCall): RouteResult {
	const creationId = textField(call.fields, 'creation_id');
	if (creationId === undefined)
		throw invalidParameter('(#100) The parameter creation_id is required');
	const container = store.findContainer(creationId);
	if (!container || container.igUserId !== call.node) {
		throw graphError({
			message: 'The requested resource does not exist',
			code: 24,
			error_subcode: 2207006,
			error_user_title: 'Media not found',
			error_user_msg: `The media with id ${creationId} cannot be found.`,
		});
	}
	if (container.status === 'PUBLISHED') {
		throw invalidParameter(`(#100) The container ${creationId} has already been published`);
	}
	return { body: { id: store.publish(container, call.via).id } };
}

function read(store: InstagramStore, call: GraphCall): RouteResult {
	if (call.edge !== undefined) throw unsupported('GET', `${call.node}/${call.edge}`);
	if (call.node === 'me') return { body: INSTAGRAM_ACCOUNT.facebookUser };
	if (call.node === INSTAGRAM_ACCOUNT.igUserId) {
		return { body: { id: INSTAGRAM_ACCOUNT.igUserId, username: INSTAGRAM_ACCOUNT.username } };
	}
	const container = store.findContainer(call.node);
	if (container) {
		return { body: { id: container.id, status_code: container.status, status: container.status } };
	}
	const media = store.findMedia(call.node);
	if (media) {
		return {
			body: {
				id: media.id,
				caption: media.caption,
				media_type: 'IMAGE',
				username: INSTAGRAM_ACCOUNT.username,
				timestamp: media.publishedAt,
			},
		};
	}
	throw unsupported('GET', call.node);
}

async function handle(
	store: InstagramStore,
	token: string,
	req: SandboxRequest,
	call: GraphCall,
): Promise<RouteResult> {
	checkToken(req, call.fields, token);
	if (req.method === 'GET') return read(store, call);
	if (call.node !== INSTAGRAM_ACCOUNT.igUserId) throw unsupported('POST', call.node);
	if (call.edge === 'media') return await createContainer(store, call);
	if (call.edge === 'media_publish') return publish(store, call);
	throw graphError({
		message: `(#100) Tried accessing nonexisting field (${call.edge ?? ''}) on node type (IGUser)`,
		code: 100,
	});
}

export function graphRoutes(store: InstagramStore, token: string): RouteDefinition[] {
	const segmentsOf = (req: SandboxRequest): string[] => {
		const segments = [req.params.a, req.params.b, req.params.c].filter(
			(segment): segment is string => segment !== undefined,
		);
		if (/^v\d+\.\d+$/.test(segments[0] ?? '')) segments.shift();
		return segments;
	};
	const handler = recordingRefusals(
		async (req) => {
			const segments = segmentsOf(req);
			const { fields } = readRequestFields(req, (message) =>
				invalidParameter(`(#100) The request body could not be read: ${message}`),
			);
			if (segments.length === 0 || segments.length > 2) {
				throw graphError({
					message: `Unknown path components: /${segments.join('/')}`,
					code: 2500,
				});
			}
			return await handle(store, token, req, {
				node: segments[0],
				edge: segments[1],
				fields,
				via: proxiedHost(req.raw),
			});
		},
		(req, refusal) => {
			const body = (refusal.rawBody as { error?: Record<string, unknown> } | undefined)?.error;
			store.reject({
				endpoint: `${req.method} /${segmentsOf(req).join('/')}`,
				status: refusal.status,
				code: Number(body?.code ?? 0),
				subcode: typeof body?.error_subcode === 'number' ? body.error_subcode : null,
				message: refusal.message,
				userMessage: typeof body?.error_user_msg === 'string' ? body.error_user_msg : null,
				via: proxiedHost(req.raw),
			});
		},
	);
	const routes: RouteDefinition[] = [];
	for (const path of [`${GRAPH_PREFIX}/:a`, `${GRAPH_PREFIX}/:a/:b`, `${GRAPH_PREFIX}/:a/:b/:c`]) {
		routes.push({ method: 'GET', path, handler, auth: 'none' });
		routes.push({ method: 'POST', path, handler, auth: 'none' });
	}
	return routes;
}

export function instagramControlRoutes(store: InstagramStore, token: string): RouteDefinition[] {
	return [
		{
			method: 'GET',
			path: '/_sandbox/instagram',
			handler: () => ({
				body: {
					accessToken: token,
					account: INSTAGRAM_ACCOUNT,
					limits: INSTAGRAM_LIMITS,
					containers: store.containers,
					media: store.media,
					rejections: store.rejections,
				},
			}),
		},
	];
}
