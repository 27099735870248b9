import type { SandboxModule } from '../../context';
import { WixHttpError } from '../../errors';
import type { ReceivedFile } from '../../lib/receivedFiles';

/**
 * LinkedIn's REST API as n8n's LinkedIn node (2.41.1, `LinkedIn-Version: 202604`) uses it for a post with an
 * image: `POST /rest/images?action=initializeUpload` (an image URN and an upload URL), the bytes sent to that URL,
 * then `POST /rest/posts` with `content.media.id` = the image URN, answered 201 with the post's URN in
 * `x-restli-id`. Errors are LinkedIn's `{ status, code?, serviceErrorCode?, message }`.
 */

/** Image formats LinkedIn's Images API takes. */
export const LINKEDIN_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif'] as const;

export const LINKEDIN_LIMITS = {
	commentaryChars: 3000,
	/** How long an upload URL stays valid (LinkedIn: about a day). */
	uploadUrlTtlMs: 24 * 60 * 60 * 1000,
} as const;

export type LinkedInImageStatus = 'WAITING_UPLOAD' | 'AVAILABLE';

export interface LinkedInImageRecord {
	seq: number;
	/** `urn:li:image:<id>`. */
	urn: string;
	owner: string;
	status: LinkedInImageStatus;
	uploadUrl: string;
	uploadUrlExpiresAt: number;
	/** Set once the bytes were uploaded. */
	file: ReceivedFile | null;
	/** How they were sent: the method (n8n's node POSTs, LinkedIn documents PUT) and the Content-Type header. */
	upload: { method: string; contentType: string } | null;
	via: string | null;
	registeredAt: string;
}

export interface LinkedInPostRecord {
	seq: number;
	/** `urn:li:share:<id>`, answered in `x-restli-id`. */
	urn: string;
	author: string;
	/** As received: "little text", with the node's backslash escapes. */
	commentary: string;
	visibility: string;
	lifecycleState: string;
	/** The image URN of `content.media.id`, if any. */
	imageUrn: string | null;
	mediaTitle: string | null;
	/** The uploaded image's bytes, described (null for a text post). */
	image: ReceivedFile | null;
	via: string | null;
	receivedAt: string;
}

export interface LinkedInRejection {
	seq: number;
	endpoint: string;
	status: number;
	message: string;
	via: string | null;
	receivedAt: string;
}

export interface LinkedInModule extends SandboxModule {
	name: 'linkedin';
	/** The OAuth access token the emulation accepts (as a credential's `oauthTokenData.access_token`). */
	readonly accessToken: string;
}

export function linkedInError(
	status: number,
	message: string,
	extra: { code?: string; serviceErrorCode?: number } = {},
): WixHttpError {
	return new WixHttpError(status, message, undefined, { ...extra, message, status });
}

/** REST.li's answer to a request body that fails the schema: 422 and one line per violation. */
export function schemaError(path: string, problem: string): WixHttpError {
	return linkedInError(422, `ERROR :: ${path} :: ${problem}\n`, {
		code: 'UNPROCESSABLE_ENTITY',
	});
}
