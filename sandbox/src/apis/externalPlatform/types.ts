import type { SandboxModule } from '../../context';
import { WixHttpError } from '../../errors';

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

export interface StoredMedia {
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

export function platformError(status: number, code: string, message: string): WixHttpError {
	return new WixHttpError(status, message, undefined, { error: { code, message } });
}
