import type { SandboxModule } from '../../context';
import { WixHttpError } from '../../errors';
import type { ReceivedFile } from '../../lib/receivedFiles';

/**
 * Instagram content publishing through the Facebook Graph API, as n8n's Facebook Graph API node reaches it
 * (https://graph.facebook.com/<version>/<node>/<edge>, `access_token` in the query string):
 * `POST /<ig-user-id>/media` with `image_url` and `caption` makes a container (Instagram fetches the image then),
 * `POST /<ig-user-id>/media_publish` with `creation_id` publishes it. Errors are the Graph API's
 * `{ error: { message, type, code, error_subcode?, error_user_title?, error_user_msg?, fbtrace_id } }`, HTTP 400.
 */

export const INSTAGRAM_LIMITS = {
	captionChars: 2200,
	hashtags: 30,
	/** Instagram's image specification: JPEG, at most 8 MiB, aspect ratio between 4:5 and 1.91:1. */
	imageBytes: 8 * 1024 * 1024,
	minAspectRatio: 4 / 5,
	maxAspectRatio: 1.91,
} as const;

export type ContainerStatus = 'FINISHED' | 'PUBLISHED';

export interface InstagramContainerRecord {
	seq: number;
	id: string;
	igUserId: string;
	imageUrl: string;
	caption: string;
	status: ContainerStatus;
	file: ReceivedFile;
	via: string | null;
	receivedAt: string;
}

export interface InstagramMediaRecord {
	seq: number;
	/** The published media's ID (what media_publish answers). */
	id: string;
	containerId: string;
	igUserId: string;
	caption: string;
	imageUrl: string;
	file: ReceivedFile;
	via: string | null;
	publishedAt: string;
}

export interface InstagramRejection {
	seq: number;
	endpoint: string;
	status: number;
	code: number;
	subcode: number | null;
	message: string;
	userMessage: string | null;
	via: string | null;
	receivedAt: string;
}

export interface InstagramModule extends SandboxModule {
	name: 'instagram';
	/** The access token the Graph API emulation accepts (a Facebook Graph API credential's Access Token). */
	readonly accessToken: string;
}

export interface GraphErrorFields {
	message: string;
	type?: string;
	code: number;
	error_subcode?: number;
	error_user_title?: string;
	error_user_msg?: string;
	is_transient?: boolean;
}

export function graphError(fields: GraphErrorFields, status = 400): WixHttpError {
	const fbtraceId = `A${Math.random().toString(36).slice(2, 12)}`;
	return new WixHttpError(status, fields.message, undefined, {
		error: { type: 'OAuthException', is_transient: false, ...fields, fbtrace_id: fbtraceId },
	});
}

export function invalidParameter(message: string, subcode?: number, userMessage?: string) {
	return graphError({
		message,
		code: 100,
		...(subcode === undefined ? {} : { error_subcode: subcode }),
		...(userMessage === undefined ? {} : { error_user_msg: userMessage }),
	});
}
