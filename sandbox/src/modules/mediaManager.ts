/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { basename, dirname, join } from 'node:path';

import {
	invalidArgument,
	notFound,
	WixHttpError,
	type CallerIdentity,
	type SandboxContext,
	type SandboxModule,
	type SandboxRequest,
} from '../context';
import { pngImage, sniffMedia } from '../lib/mediaBytes';

/**
 * Wix Media Manager (`/site-media/v1`, docs/wix-api.md §3): upload URLs and the upload itself, URL imports, file
 * descriptors, listing and deletion, plus the asynchronous processing that turns a PENDING file READY (or FAILED)
 * and the static host (`/media/<id>`) that stands in for static.wixstatic.com / video.wixstatic.com.
 */

const BASE = '/site-media/v1';
const FILE_FQDN = 'wix.media.site_media.v1.file_descriptor';
const LIST_DEFAULT_LIMIT = 50;
const LIST_MAX_LIMIT = 100;

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

interface StoredFile {
	id: string;
	kind: 'image' | 'video' | 'other';
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

interface UploadSession {
	mimeType: string;
	fileName?: string;
	parentFolderId?: string;
	private: boolean;
	labels: string[];
	externalInfo?: ExternalInfo;
	identity: CallerIdentity | null;
}

const EXTENSION_BY_MIME: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/jpg': 'jpg',
	'image/gif': 'gif',
	'image/webp': 'webp',
	'video/mp4': 'mp4',
	'video/quicktime': 'mov',
};

const MIME_BY_EXTENSION: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	webp: 'image/webp',
	mp4: 'video/mp4',
	mov: 'video/quicktime',
	m4v: 'video/mp4',
	pdf: 'application/pdf',
	mp3: 'audio/mpeg',
};

function extensionOf(name: string | undefined): string | undefined {
	const match = /\.([a-z0-9]{1,5})$/i.exec(name ?? '');
	return match ? match[1].toLowerCase() : undefined;
}

/** The media family a file claims to be, from its mime type or, failing that, its name's extension. */
function claimedKind(
	mimeType: string | undefined,
	name: string | undefined,
): 'image' | 'video' | 'other' | null {
	const mime =
		mimeType && mimeType !== 'application/octet-stream'
			? mimeType
			: MIME_BY_EXTENSION[extensionOf(name) ?? ''];
	if (!mime) return null;
	if (mime.startsWith('image/')) return 'image';
	if (mime.startsWith('video/')) return 'video';
	return 'other';
}

function mediaTypeOf(kind: StoredFile['kind'], mimeType: string): MediaType {
	if (kind === 'image') return 'IMAGE';
	if (kind === 'video') return 'VIDEO';
	if (mimeType.startsWith('audio/')) return 'AUDIO';
	if (mimeType === 'application/pdf' || mimeType.startsWith('text/')) return 'DOCUMENT';
	return 'OTHER';
}

/**
 * The folder holding the sandbox's sample media, found by walking up from this file so that it works both from
 * `sandbox/src/**` (ts-jest) and from the compiled `build/sandbox/**`.
 */
export function sandboxAssetPath(fileName: string): string {
	let dir = __dirname;
	for (;;) {
		if (basename(dir) === 'sandbox' && existsSync(join(dir, 'assets', fileName)))
			return join(dir, 'assets', fileName);
		if (existsSync(join(dir, 'sandbox', 'assets', fileName)))
			return join(dir, 'sandbox', 'assets', fileName);
		const parent = dirname(dir);
		if (parent === dir) throw new Error(`sandbox asset not found: ${fileName}`);
		dir = parent;
	}
}

function stringList(value: unknown): string[] {
	return Array.isArray(value)
		? value.filter((entry): entry is string => typeof entry === 'string')
		: [];
}

function optionalString(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Accepts a plain file id or a `wix:image://v1/<id>/<name>#...` / `wix:video://v1/<id>/...` media URI. */
function fileIdFromReference(reference: string): string {
	const uri = /^wix:(?:image|video|document|audio):\/\/v1\/([^/#]+)/.exec(reference);
	return uri ? uri[1] : reference;
}

export function createMediaManagerModule(): MediaManagerModule {
	let context: SandboxContext | undefined;
	let files = new Map<string, StoredFile>();
	let uploads = new Map<string, UploadSession>();
	let timers = new Set<NodeJS.Timeout>();
	/** Bumped on reset so that imports and timers started before it cannot touch the new state. */
	let generation = 0;
	/** Stands in for the account-specific prefix of Wix media ids. */
	let idPrefix = randomBytes(3).toString('hex');

	const ctx = (): SandboxContext => {
		if (!context) throw new Error('mediaManager used before the sandbox registered it');
		return context;
	};
	const mediaUrl = (id: string) => `${ctx().baseUrl()}/media/${id}`;

	function newFileId(kind: StoredFile['kind'], mimeType: string, name: string | undefined): string {
		const unique = `${idPrefix}_${randomBytes(16).toString('hex')}`;
		if (kind !== 'image') return unique;
		const fromName = extensionOf(name);
		const extension =
			fromName && MIME_BY_EXTENSION[fromName]?.startsWith('image/')
				? fromName
				: (EXTENSION_BY_MIME[mimeType] ?? 'jpg');
		return `${unique}~mv2.${extension}`;
	}

	/** What processing concludes: the bytes must be media, of the family the file claimed to be. */
	function judge(file: StoredFile, bytes: Buffer): NonNullable<StoredFile['outcome']> {
		const sniffed = sniffMedia(bytes);
		if (sniffed.kind === 'unknown' || sniffed.kind !== file.kind) {
			return { status: 'FAILED', mimeType: file.claimedMimeType };
		}
		return {
			status: 'READY',
			width: sniffed.width,
			height: sniffed.height,
			mimeType: sniffed.mimeType,
		};
	}

	function statusOf(file: StoredFile): OperationStatus {
		if (!file.outcome || file.pendingReads > 0 || ctx().now() < file.readyAt) return 'PENDING';
		return file.outcome.status;
	}

	function posterOf(file: StoredFile): NonNullable<StoredFile['poster']> {
		if (!file.poster) {
			const width = file.outcome?.width ?? 320;
			const height = file.outcome?.height ?? 180;
			const seed = parseInt(file.id.slice(-8), 16) || 1;
			file.poster = {
				id: `${file.id}f000.png`,
				bytes: pngImage({ width, height, seed }),
				width,
				height,
			};
		}
		return file.poster;
	}

	function describe(file: StoredFile): FileDescriptor {
		const status = statusOf(file);
		const ready = status === 'READY' && file.outcome !== null;
		const mimeType = file.outcome?.mimeType ?? file.claimedMimeType;
		const url = mediaUrl(file.id);
		let media: FileDescriptor['media'] = null;
		let thumbnailUrl = url;
		if (ready && file.kind === 'image') {
			media = {
				image: {
					image: {
						id: file.id,
						url,
						width: file.outcome?.width,
						height: file.outcome?.height,
						filename: file.displayName,
					},
					faces: [],
				},
			};
		} else if (ready && file.kind === 'video') {
			const poster = posterOf(file);
			const posterUrl = mediaUrl(poster.id);
			thumbnailUrl = posterUrl;
			const height = file.outcome?.height;
			media = {
				video: {
					id: file.id,
					url,
					filename: file.displayName,
					resolutions: [
						{
							url,
							width: file.outcome?.width,
							height,
							format: 'mp4',
							quality: height ? `${height}p` : 'source',
							filename: 'file.mp4',
						},
					],
					posters: [
						{
							id: poster.id,
							url: posterUrl,
							width: poster.width,
							height: poster.height,
							filename: poster.id,
						},
					],
				},
			};
		}
		return {
			id: file.id,
			displayName: file.displayName,
			url,
			parentFolderId: file.trashed ? 'trash-root' : file.parentFolderId,
			hash: ready && file.bytes ? createHash('md5').update(file.bytes).digest('hex') : '',
			sizeInBytes: String(file.bytes?.length ?? 0),
			private: file.private,
			mediaType: mediaTypeOf(file.kind, mimeType),
			media,
			operationStatus: status,
			...(file.sourceUrl !== undefined && { sourceUrl: file.sourceUrl }),
			thumbnailUrl,
			labels: file.labels,
			createdDate: new Date(file.createdAt).toISOString(),
			updatedDate: new Date(
				Math.max(file.updatedAt, status === 'PENDING' ? 0 : file.readyAt),
			).toISOString(),
			state: file.trashed ? 'DELETED' : 'OK',
		};
	}

	/** Sends File Ready / File Failed once processing has concluded; safe to call any number of times. */
	function settle(file: StoredFile, forGeneration: number): void {
		if (forGeneration !== generation || file.settled || files.get(file.id) !== file) return;
		const status = statusOf(file);
		if (status === 'PENDING') {
			// Held by pending reads: the read that releases the file settles it. Otherwise wait for readyAt, never
			// less than a few ms, so that a clock behind the timers cannot make this spin.
			if (file.outcome && file.pendingReads === 0) {
				schedule(file, Math.max(5, file.readyAt - ctx().now()));
			}
			return;
		}
		file.settled = true;
		const descriptor = describe(file);
		const common = {
			entityFqdn: FILE_FQDN,
			entityId: file.id,
			identity: file.identity,
		};
		if (status === 'READY') {
			ctx().emit({
				...common,
				eventType: `${FILE_FQDN}_file_ready`,
				slug: 'file_ready',
				actionEvent: {
					body: {
						file: descriptor,
						externalInfo: file.externalInfo ?? {},
						triggeredByUndelete: false,
					},
				},
			});
		} else {
			ctx().emit({
				...common,
				eventType: `${FILE_FQDN}_file_failed`,
				slug: 'file_failed',
				actionEvent: { body: { externalInfo: file.externalInfo ?? {} } },
			});
		}
	}

	function schedule(file: StoredFile, delayMs: number): void {
		const forGeneration = generation;
		const timer = setTimeout(
			() => {
				timers.delete(timer);
				settle(file, forGeneration);
			},
			Math.max(0, delayMs),
		);
		timer.unref();
		timers.add(timer);
	}

	interface NewFile {
		kind: StoredFile['kind'];
		displayName: string;
		claimedMimeType: string;
		parentFolderId?: string;
		private?: boolean;
		labels?: string[];
		externalInfo?: ExternalInfo;
		sourceUrl?: string;
		identity: CallerIdentity | null;
	}

	function createFile(spec: NewFile, bytes: Buffer | null, ready: boolean): StoredFile {
		const now = ctx().now();
		const file: StoredFile = {
			id: newFileId(spec.kind, spec.claimedMimeType, spec.displayName),
			kind: spec.kind,
			displayName: spec.displayName,
			claimedMimeType: spec.claimedMimeType,
			parentFolderId: spec.parentFolderId ?? 'media-root',
			private: spec.private ?? false,
			labels: spec.labels ?? [],
			externalInfo: spec.externalInfo,
			sourceUrl: spec.sourceUrl,
			bytes: null,
			outcome: null,
			createdAt: now,
			updatedAt: now,
			readyAt: ready ? now : now + ctx().config.mediaReadyDelayMs,
			pendingReads: ready ? 0 : ctx().config.mediaPendingReads,
			settled: ready,
			trashed: false,
			identity: spec.identity,
		};
		files.set(file.id, file);
		if (bytes) {
			file.bytes = bytes;
			file.outcome = judge(file, bytes);
			if (!ready) schedule(file, file.readyAt - now);
		}
		return file;
	}

	function requireFile(reference: string): StoredFile {
		const id = fileIdFromReference(reference);
		const file = files.get(id);
		if (!file) throw notFound('File', id);
		return file;
	}

	async function startImport(file: StoredFile, request: Request): Promise<void> {
		const forGeneration = generation;
		let bytes: Buffer | null = null;
		try {
			const response = await fetch(request);
			if (response.ok) bytes = Buffer.from(await response.arrayBuffer());
		} catch {
			// An unreachable URL fails processing just like a 404 does.
		}
		if (forGeneration !== generation || files.get(file.id) !== file) return;
		file.bytes = bytes ?? Buffer.alloc(0);
		file.outcome = bytes
			? judge(file, bytes)
			: { status: 'FAILED', mimeType: file.claimedMimeType };
		// A slow download delays readiness: processing starts only once the bytes are in.
		file.readyAt = Math.max(file.readyAt, ctx().now());
		settle(file, forGeneration);
	}

	function generateUploadUrl(req: SandboxRequest) {
		const body = req.json() ?? {};
		const mimeType = optionalString(body.mimeType);
		if (!mimeType) throw invalidArgument('mimeType', 'must not be empty', 'REQUIRED_FIELD');
		const token = randomBytes(24).toString('base64url');
		uploads.set(token, {
			mimeType,
			fileName: optionalString(body.fileName),
			parentFolderId: optionalString(body.parentFolderId),
			private: body.private === true,
			labels: stringList(body.labels),
			externalInfo: body.externalInfo,
			identity: req.identity,
		});
		return { body: { uploadUrl: `${ctx().baseUrl()}/upload/v1/${token}` } };
	}

	function upload(req: SandboxRequest) {
		const session = uploads.get(req.params.token);
		if (!session) {
			throw new WixHttpError(404, 'Upload URL not found or already used', {
				applicationError: {
					code: 'NOT_FOUND',
					description: 'This upload URL is unknown or was already used',
				},
			});
		}
		const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
		if (!contentType) throw invalidArgument('Content-Type', 'header is required', 'REQUIRED_FIELD');
		uploads.delete(req.params.token);
		const displayName = req.query.get('filename') || session.fileName || 'file';
		const claimedMimeType =
			contentType !== 'application/octet-stream'
				? contentType
				: session.mimeType !== 'application/octet-stream'
					? session.mimeType
					: (MIME_BY_EXTENSION[extensionOf(displayName) ?? ''] ?? contentType);
		const sniffed = sniffMedia(req.body);
		const kind =
			claimedKind(claimedMimeType, displayName) ??
			(sniffed.kind === 'unknown' ? 'other' : sniffed.kind);
		const file = createFile(
			{
				kind,
				displayName,
				claimedMimeType,
				parentFolderId: session.parentFolderId,
				private: session.private,
				labels: session.labels,
				externalInfo: session.externalInfo,
				identity: session.identity,
			},
			req.body,
			false,
		);
		return { body: { file: describe(file) } };
	}

	function importFile(req: SandboxRequest) {
		const body = req.json() ?? {};
		const url = optionalString(body.url);
		if (!url) throw invalidArgument('url', 'must not be empty', 'REQUIRED_FIELD');
		let target: URL;
		try {
			target = new URL(url);
		} catch {
			throw invalidArgument('url', 'must be a valid URL');
		}
		if (target.protocol !== 'http:' && target.protocol !== 'https:') {
			throw invalidArgument('url', 'must be an http or https URL');
		}
		if (body.urlParams && typeof body.urlParams === 'object') {
			for (const [key, value] of Object.entries(body.urlParams))
				target.searchParams.set(key, String(value));
		}
		const headers = new Headers();
		if (body.urlHeaders && typeof body.urlHeaders === 'object') {
			for (const [key, value] of Object.entries(body.urlHeaders)) headers.set(key, String(value));
		}
		const displayName =
			optionalString(body.displayName) ?? (decodeURIComponent(basename(target.pathname)) || 'file');
		const mediaTypeHint =
			body.mediaType === 'IMAGE' ? 'image/*' : body.mediaType === 'VIDEO' ? 'video/*' : undefined;
		const claimedMimeType =
			optionalString(body.mimeType) ??
			mediaTypeHint ??
			MIME_BY_EXTENSION[extensionOf(target.pathname) ?? ''] ??
			'image/jpeg';
		const file = createFile(
			{
				kind: claimedKind(claimedMimeType, displayName) ?? 'image',
				displayName,
				claimedMimeType,
				parentFolderId: optionalString(body.parentFolderId),
				private: body.private === true,
				labels: stringList(body.labels),
				externalInfo: body.externalInfo,
				sourceUrl: url,
				identity: req.identity,
			},
			null,
			false,
		);
		void startImport(file, new Request(target, { headers, redirect: 'follow' }));
		return { body: { file: { ...describe(file), media: null } } };
	}

	/** Describes the file for a descriptor read, counting the read against the file's `pendingReads`. */
	function read(file: StoredFile): FileDescriptor {
		const descriptor = describe(file);
		if (file.pendingReads > 0) {
			file.pendingReads--;
			if (file.pendingReads === 0) {
				// Released: processing concludes now at the earliest, so updatedDate stays after the PENDING reads.
				file.readyAt = Math.max(file.readyAt, ctx().now());
				settle(file, generation);
			}
		}
		return descriptor;
	}

	function getFileDescriptor(req: SandboxRequest) {
		const reference =
			req.params.fileId === 'get-file-by-id' ? req.query.get('fileId') : req.params.fileId;
		if (!reference) throw invalidArgument('fileId', 'must not be empty', 'REQUIRED_FIELD');
		return { body: { file: read(requireFile(reference)) } };
	}

	function getFileDescriptors(req: SandboxRequest) {
		const ids = req.json()?.fileIds;
		if (!Array.isArray(ids) || ids.length === 0) {
			throw invalidArgument('fileIds', 'must contain at least one id', 'REQUIRED_FIELD');
		}
		return { body: { files: stringList(ids).map((id) => read(requireFile(id))) } };
	}

	function listFiles(req: SandboxRequest) {
		const parentFolderId = req.query.get('parentFolderId') ?? 'media-root';
		const mediaTypes = req.query.getAll('mediaTypes');
		const privacy = req.query.get('private');
		const sortField = req.query.get('sort.fieldName') ?? 'updatedDate';
		const sortOrder = (req.query.get('sort.order') ?? 'DESC').toUpperCase();
		if (sortField !== 'updatedDate' && sortField !== 'displayName') {
			throw invalidArgument('sort.fieldName', 'must be one of updatedDate, displayName');
		}
		if (sortOrder !== 'ASC' && sortOrder !== 'DESC')
			throw invalidArgument('sort.order', 'must be ASC or DESC');
		const limitText = req.query.get('paging.limit');
		const limit = limitText === null ? LIST_DEFAULT_LIMIT : Number(limitText);
		if (!Number.isInteger(limit)) throw invalidArgument('paging.limit', 'must be an integer');
		if (limit < 1) throw invalidArgument('paging.limit', 'must be at least 1', 'MIN');
		if (limit > LIST_MAX_LIMIT)
			throw invalidArgument('paging.limit', `must be at most ${LIST_MAX_LIMIT}`, 'MAX');
		const cursor = req.query.get('paging.cursor');
		let offset = 0;
		if (cursor) {
			offset = Number(
				Buffer.from(cursor, 'base64url')
					.toString('utf8')
					.replace(/^offset:/, ''),
			);
			if (!Number.isInteger(offset) || offset < 0)
				throw invalidArgument('paging.cursor', 'is not a valid cursor');
		}
		const matching = [...files.values()]
			.map((file) => ({ file, descriptor: describe(file) }))
			.filter(({ descriptor }) => descriptor.parentFolderId === parentFolderId)
			.filter(
				({ descriptor }) => mediaTypes.length === 0 || mediaTypes.includes(descriptor.mediaType),
			)
			.filter(({ descriptor }) => privacy === null || String(descriptor.private) === privacy)
			.sort((a, b) => {
				const byField =
					sortField === 'displayName'
						? a.descriptor.displayName.localeCompare(b.descriptor.displayName)
						: a.descriptor.updatedDate.localeCompare(b.descriptor.updatedDate);
				const ordered = byField !== 0 ? byField : a.file.createdAt - b.file.createdAt;
				return sortOrder === 'ASC' ? ordered : -ordered;
			});
		const page = matching.slice(offset, offset + limit).map(({ descriptor }) => descriptor);
		const hasNext = offset + limit < matching.length;
		const next = hasNext
			? Buffer.from(`offset:${offset + limit}`).toString('base64url')
			: undefined;
		return {
			body: {
				files: page,
				nextCursor: { count: page.length, cursors: next ? { next } : {}, hasNext },
			},
		};
	}

	function bulkDelete(req: SandboxRequest) {
		const body = req.json() ?? {};
		if (!Array.isArray(body.fileIds) || body.fileIds.length === 0) {
			throw invalidArgument('fileIds', 'must contain at least one id', 'REQUIRED_FIELD');
		}
		const targets = stringList(body.fileIds).map(requireFile);
		const permanent = body.permanent === true;
		for (const file of targets) {
			if (permanent) files.delete(file.id);
			else {
				file.trashed = true;
				file.updatedAt = ctx().now();
			}
			ctx().emit({
				eventType: `${FILE_FQDN}_deleted`,
				entityFqdn: FILE_FQDN,
				slug: 'deleted',
				entityId: file.id,
				deletedEvent: { movedToTrash: !permanent },
				identity: req.identity,
			});
		}
		return { body: {} };
	}

	/** The static host: bytes of READY files (and of video posters), as Wix's CDN serves them. */
	function serveMedia(req: SandboxRequest, res: ServerResponse): void {
		const id = req.params.fileId;
		const posterOwner = /^(.+)f000\.png$/.exec(id);
		const file = files.get(id) ?? (posterOwner ? files.get(posterOwner[1]) : undefined);
		if (!file || statusOf(file) !== 'READY' || !file.bytes || !file.outcome) {
			res.writeHead(404, { 'Content-Type': 'text/plain' });
			res.end('Not Found');
			return;
		}
		const isPoster = file.id !== id;
		const bytes = isPoster ? posterOf(file).bytes : file.bytes;
		res.writeHead(200, {
			'Content-Type': isPoster ? 'image/png' : file.outcome.mimeType,
			'Content-Length': String(bytes.length),
			'Cache-Control': 'public, max-age=31536000',
		});
		res.end(req.method === 'HEAD' ? undefined : bytes);
	}

	return {
		name: 'mediaManager',

		register(registerContext) {
			context = registerContext;
			const route = registerContext.route.bind(registerContext);
			route('POST', `${BASE}/files/generate-upload-url`, generateUploadUrl);
			route('PUT', '/upload/v1/:token', upload, { auth: 'none' });
			route('POST', `${BASE}/files/import`, importFile);
			// One pattern serves both the current `get-file-by-id?fileId=` path and the 2023 `/files/{fileId}` path.
			route('GET', `${BASE}/files/:fileId`, getFileDescriptor);
			route('POST', `${BASE}/files/get-files`, getFileDescriptors);
			route('GET', `${BASE}/files`, listFiles);
			route('POST', `${BASE}/bulk/files/delete`, bulkDelete);
			route('GET', '/media/:fileId', serveMedia, { auth: 'none' });
		},

		reset(resetContext: SandboxContext) {
			context = resetContext;
			generation++;
			for (const timer of timers) clearTimeout(timer);
			timers = new Set();
			files = new Map();
			uploads = new Map();
			idPrefix = randomBytes(3).toString('hex');
		},

		dump() {
			return { files: [...files.values()].map(describe), pendingUploadUrls: uploads.size };
		},

		addFile({ bytes, displayName, mimeType, parentFolderId, ready, labels }) {
			const sniffed = sniffMedia(bytes);
			const claimedMimeType = mimeType ?? sniffed.mimeType;
			const kind =
				claimedKind(claimedMimeType, displayName) ??
				(sniffed.kind === 'unknown' ? 'other' : sniffed.kind);
			const file = createFile(
				{ kind, displayName, claimedMimeType, parentFolderId, labels, identity: null },
				bytes,
				ready === true,
			);
			return describe(file);
		},

		getFile(id) {
			const file = files.get(fileIdFromReference(id));
			return file ? describe(file) : undefined;
		},

		fileBytes(id) {
			return files.get(fileIdFromReference(id))?.bytes ?? undefined;
		},

		fileUrl(id) {
			return mediaUrl(fileIdFromReference(id));
		},
	};
}

/** Reads one of the sandbox's sample media files (`sample.jpg`, `sample.mp4`). */
export function readSandboxAsset(fileName: string): Buffer {
	return readFileSync(sandboxAssetPath(fileName));
}
