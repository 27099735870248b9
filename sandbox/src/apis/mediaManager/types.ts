import type { CallerIdentity, SandboxModule } from '../../context';

/** Media Manager files as the REST API shows them (docs/wix-api.md §3.2), and as the sandbox stores them. */

export type OperationStatus = 'PENDING' | 'READY' | 'FAILED';
export type MediaType = 'IMAGE' | 'VIDEO' | 'AUDIO' | 'DOCUMENT' | 'OTHER' | 'UNKNOWN';

export interface WixImageInfo {
	id: string;
	url: string;
	width?: number;
	height?: number;
	filename?: string;
}

export interface WixVideoInfo {
	id: string;
	url: string;
	filename?: string;
	resolutions: Array<{
		url: string;
		width?: number;
		height?: number;
		format: string;
		quality: string;
		filename?: string;
	}>;
	posters: WixImageInfo[];
}

export interface ExternalInfo {
	origin?: string;
	externalIds?: string[];
}

/** A file as the REST API returns it (docs/wix-api.md §3.2). */
export interface FileDescriptor {
	id: string;
	displayName: string;
	url: string;
	parentFolderId: string;
	hash: string;
	sizeInBytes: string;
	private: boolean;
	mediaType: MediaType;
	media: { image: { image: WixImageInfo; faces: never[] } } | { video: WixVideoInfo } | null;
	operationStatus: OperationStatus;
	sourceUrl?: string;
	thumbnailUrl: string;
	labels: string[];
	createdDate: string;
	updatedDate: string;
	state: 'OK' | 'DELETED';
}

export interface AddFileInput {
	bytes: Buffer;
	displayName: string;
	/** What the file claims to be; defaults to what the bytes are. */
	mimeType?: string;
	parentFolderId?: string;
	/** Seeded files are READY at once (and emit nothing); otherwise they go through processing like an upload. */
	ready?: boolean;
	labels?: string[];
}

export interface MediaManagerModule extends SandboxModule {
	/** Adds a file directly (seeding, tests). */
	addFile(input: AddFileInput): FileDescriptor;
	/** The current descriptor, or `undefined` for an unknown or permanently deleted file. */
	getFile(id: string): FileDescriptor | undefined;
	/** The stored bytes (`undefined` while an import is still downloading or for unknown ids). */
	fileBytes(id: string): Buffer | undefined;
	/** Where the sandbox serves the file's bytes once it is READY. */
	fileUrl(id: string): string;
	dump(): { files: FileDescriptor[]; pendingUploadUrls: number };
}

export type FileKind = 'image' | 'video' | 'other';

export interface StoredFile {
	id: string;
	kind: FileKind;
	displayName: string;
	claimedMimeType: string;
	parentFolderId: string;
	private: boolean;
	labels: string[];
	externalInfo?: ExternalInfo;
	sourceUrl?: string;
	/** `null` while an import is still downloading. */
	bytes: Buffer | null;
	/** Set once the bytes are known: what processing will conclude when `readyAt` has passed. */
	outcome: { status: 'READY' | 'FAILED'; width?: number; height?: number; mimeType: string } | null;
	createdAt: number;
	updatedAt: number;
	readyAt: number;
	/** Descriptor reads still to answer PENDING, whatever the time (config `mediaPendingReads` at creation). */
	pendingReads: number;
	/** READY/FAILED event already sent (or deliberately skipped for seeded files). */
	settled: boolean;
	trashed: boolean;
	identity: CallerIdentity | null;
	/** A generated poster for videos (Wix extracts frames; we draw one of the video's size). */
	poster?: { id: string; bytes: Buffer; width: number; height: number };
}

/** What a new file is, before its bytes are known. */
export interface NewFile {
	kind: FileKind;
	displayName: string;
	claimedMimeType: string;
	parentFolderId?: string;
	private?: boolean;
	labels?: string[];
	externalInfo?: ExternalInfo;
	sourceUrl?: string;
	identity: CallerIdentity | null;
}

/** What Generate Upload URL promised about the file the upload URL will receive. */
export interface UploadSession {
	mimeType: string;
	fileName?: string;
	parentFolderId?: string;
	private: boolean;
	labels: string[];
	externalInfo?: ExternalInfo;
	identity: CallerIdentity | null;
}
