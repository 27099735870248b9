/* eslint-disable @n8n/community-nodes/no-restricted-globals -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import { randomBytes } from 'node:crypto';

import type { CallerIdentity, SandboxContext } from '../../context';
import { notFound, WixHttpError, invalidArgument } from '../../errors';
import { sniffMedia } from '../../lib/mediaBytes';
import { describeFile, posterOf } from './descriptor';
import { drawSizedImage, transformedSize } from './imageTransforms';
import type { ImageTransform } from './imageTransforms';
import {
	EXTENSION_BY_MIME,
	MIME_BY_EXTENSION,
	claimedKind,
	extensionOf,
	fileIdFromReference,
} from './fileKinds';
import type {
	AddFileInput,
	FileDescriptor,
	FileKind,
	NewFile,
	OperationStatus,
	StoredFile,
	UploadSession,
} from './types';

/**
 * The Media Manager's files and upload URLs, and the asynchronous processing that turns a PENDING file READY (or
 * FAILED) after `mediaReadyDelayMs` and `mediaPendingReads`, with File Ready / File Failed events.
 */

export const FILE_FQDN = 'wix.media.site_media.v1.file_descriptor';

/** A `List Files` request, already checked. */
export interface FileListQuery {
	parentFolderId: string;
	mediaTypes: string[];
	/** `'true'`, `'false'`, or null for both. */
	privacy: string | null;
	sortField: 'updatedDate' | 'displayName';
	sortOrder: 'ASC' | 'DESC';
	limit: number;
	offset: number;
}

export class MediaManagerStore {
	private context: SandboxContext | undefined;
	private files = new Map<string, StoredFile>();
	private uploads = new Map<string, UploadSession>();
	private timers = new Set<NodeJS.Timeout>();
	/** Bumped on reset so that imports and timers started before it cannot touch the new state. */
	private generation = 0;
	/** Stands in for the account-specific prefix of Wix media ids. */
	private idPrefix = randomBytes(3).toString('hex');

	attach(context: SandboxContext): void {
		this.context = context;
	}

	private get ctx(): SandboxContext {
		if (!this.context) throw new Error('mediaManager used before the sandbox registered it');
		return this.context;
	}

	reset(): void {
		this.generation++;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers = new Set();
		this.files = new Map();
		this.uploads = new Map();
		this.idPrefix = randomBytes(3).toString('hex');
	}

	dump(): { files: FileDescriptor[]; pendingUploadUrls: number } {
		return {
			files: [...this.files.values()].map((file) => this.describe(file)),
			pendingUploadUrls: this.uploads.size,
		};
	}

	/** Where the sandbox's static host serves a file (stands in for static.wixstatic.com). */
	mediaUrl(id: string): string {
		return `${this.ctx.baseUrl()}/media/${id}`;
	}

	describe(file: StoredFile): FileDescriptor {
		return describeFile(file, this.statusOf(file), (id) => this.mediaUrl(id));
	}

	find(reference: string): StoredFile | undefined {
		return this.files.get(fileIdFromReference(reference));
	}

	require(reference: string): StoredFile {
		const id = fileIdFromReference(reference);
		const file = this.files.get(id);
		if (!file) throw notFound('File', id);
		return file;
	}

	/** Adds a file directly (seeding, tests), its kind judged from its claimed type or else its bytes. */
	addFile({
		bytes,
		displayName,
		mimeType,
		parentFolderId,
		ready,
		labels,
	}: AddFileInput): StoredFile {
		const sniffed = sniffMedia(bytes);
		const claimedMimeType = mimeType ?? sniffed.mimeType;
		const kind =
			claimedKind(claimedMimeType, displayName) ??
			(sniffed.kind === 'unknown' ? 'other' : sniffed.kind);
		return this.createFile(
			{ kind, displayName, claimedMimeType, parentFolderId, labels, identity: null },
			bytes,
			ready === true,
		);
	}

	/** Generate Upload URL: a single-use URL (no auth) for the upload that follows. */
	openUpload(session: UploadSession): string {
		const token = randomBytes(24).toString('base64url');
		this.uploads.set(token, session);
		return `${this.ctx.baseUrl()}/upload/v1/${token}`;
	}

	/** The `PUT` to an upload URL: the file is created from the body and starts processing. */
	upload(token: string, contentTypeHeader: string, fileNameParam: string | null, body: Buffer) {
		const session = this.uploads.get(token);
		if (!session) {
			throw new WixHttpError(404, 'Upload URL not found or already used', {
				applicationError: {
					code: 'NOT_FOUND',
					description: 'This upload URL is unknown or was already used',
				},
			});
		}
		const contentType = contentTypeHeader.split(';')[0].trim();
		if (!contentType) throw invalidArgument('Content-Type', 'header is required', 'REQUIRED_FIELD');
		this.uploads.delete(token);
		const displayName = fileNameParam || session.fileName || 'file';
		const claimedMimeType =
			contentType !== 'application/octet-stream'
				? contentType
				: session.mimeType !== 'application/octet-stream'
					? session.mimeType
					: (MIME_BY_EXTENSION[extensionOf(displayName) ?? ''] ?? contentType);
		const sniffed = sniffMedia(body);
		const kind =
			claimedKind(claimedMimeType, displayName) ??
			(sniffed.kind === 'unknown' ? 'other' : sniffed.kind);
		return this.createFile(
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
			body,
			false,
		);
	}

	/** Import File: the file exists at once, PENDING, while its bytes are fetched in the background. */
	importFrom(spec: NewFile, request: Request): StoredFile {
		const file = this.createFile(spec, null, false);
		void this.fetchImport(file, request);
		return file;
	}

	/** Describes the file for a descriptor read, counting the read against the file's `pendingReads`. */
	read(file: StoredFile): FileDescriptor {
		const descriptor = this.describe(file);
		if (file.pendingReads > 0) {
			file.pendingReads--;
			if (file.pendingReads === 0) {
				// Released: processing concludes now at the earliest, so updatedDate stays after the PENDING reads.
				file.readyAt = Math.max(file.readyAt, this.ctx.now());
				this.settle(file, this.generation);
			}
		}
		return descriptor;
	}

	list(query: FileListQuery): { files: FileDescriptor[]; total: number } {
		const matching = [...this.files.values()]
			.map((file) => ({ file, descriptor: this.describe(file) }))
			.filter(({ descriptor }) => descriptor.parentFolderId === query.parentFolderId)
			.filter(
				({ descriptor }) =>
					query.mediaTypes.length === 0 || query.mediaTypes.includes(descriptor.mediaType),
			)
			.filter(
				({ descriptor }) => query.privacy === null || String(descriptor.private) === query.privacy,
			)
			.sort((a, b) => {
				const byField =
					query.sortField === 'displayName'
						? a.descriptor.displayName.localeCompare(b.descriptor.displayName)
						: a.descriptor.updatedDate.localeCompare(b.descriptor.updatedDate);
				const ordered = byField !== 0 ? byField : a.file.createdAt - b.file.createdAt;
				return query.sortOrder === 'ASC' ? ordered : -ordered;
			});
		return {
			files: matching
				.slice(query.offset, query.offset + query.limit)
				.map(({ descriptor }) => descriptor),
			total: matching.length,
		};
	}

	/** Moves files to the trash, or deletes them for good; each one emits File Deleted. */
	delete(references: string[], permanent: boolean, identity: CallerIdentity | null): void {
		const targets = references.map((reference) => this.require(reference));
		for (const file of targets) {
			if (permanent) this.files.delete(file.id);
			else {
				file.trashed = true;
				file.updatedAt = this.ctx.now();
			}
			this.ctx.emit({
				eventType: `${FILE_FQDN}_deleted`,
				entityFqdn: FILE_FQDN,
				slug: 'deleted',
				entityId: file.id,
				deletedEvent: { movedToTrash: !permanent },
				identity,
			});
		}
	}

	/** The bytes the static host serves for an id: a READY file's, or its poster's (`<id>f000.png`). */
	servedBytes(id: string): { bytes: Buffer; mimeType: string } | undefined {
		const posterOwner = /^(.+)f000\.png$/.exec(id);
		const file = this.files.get(id) ?? (posterOwner ? this.files.get(posterOwner[1]) : undefined);
		if (!file || this.statusOf(file) !== 'READY' || !file.bytes || !file.outcome) return undefined;
		if (file.id === id) return { bytes: file.bytes, mimeType: file.outcome.mimeType };
		return { bytes: posterOf(file).bytes, mimeType: 'image/png' };
	}

	/**
	 * What the static host serves for a transformation URL of an image (see ./imageTransforms): undefined when the id
	 * is not a READY image, like the plain media URL.
	 */
	transformedBytes(
		id: string,
		transform: ImageTransform,
	): { bytes: Buffer; mimeType: string } | undefined {
		const file = this.files.get(id);
		if (!file || file.kind !== 'image' || this.statusOf(file) !== 'READY') return undefined;
		if (!file.bytes || !file.outcome?.width || !file.outcome.height) return undefined;
		const size = transformedSize(transform, {
			width: file.outcome.width,
			height: file.outcome.height,
		});
		if (!size) return { bytes: file.bytes, mimeType: file.outcome.mimeType };
		return { bytes: drawSizedImage(file.id, size), mimeType: 'image/png' };
	}

	private statusOf(file: StoredFile): OperationStatus {
		if (!file.outcome || file.pendingReads > 0 || this.ctx.now() < file.readyAt) return 'PENDING';
		return file.outcome.status;
	}

	private newFileId(kind: FileKind, mimeType: string, name: string | undefined): string {
		const unique = `${this.idPrefix}_${randomBytes(16).toString('hex')}`;
		if (kind !== 'image') return unique;
		const fromName = extensionOf(name);
		const extension =
			fromName && MIME_BY_EXTENSION[fromName]?.startsWith('image/')
				? fromName
				: (EXTENSION_BY_MIME[mimeType] ?? 'jpg');
		return `${unique}~mv2.${extension}`;
	}

	/** What processing concludes: the bytes must be media, of the family the file claimed to be. */
	private judge(file: StoredFile, bytes: Buffer): NonNullable<StoredFile['outcome']> {
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

	private createFile(spec: NewFile, bytes: Buffer | null, ready: boolean): StoredFile {
		const now = this.ctx.now();
		const file: StoredFile = {
			id: this.newFileId(spec.kind, spec.claimedMimeType, spec.displayName),
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
			readyAt: ready ? now : now + this.ctx.config.mediaReadyDelayMs,
			pendingReads: ready ? 0 : this.ctx.config.mediaPendingReads,
			settled: ready,
			trashed: false,
			identity: spec.identity,
		};
		this.files.set(file.id, file);
		if (bytes) {
			file.bytes = bytes;
			file.outcome = this.judge(file, bytes);
			if (!ready) this.schedule(file, file.readyAt - now);
		}
		return file;
	}

	private async fetchImport(file: StoredFile, request: Request): Promise<void> {
		const forGeneration = this.generation;
		let bytes: Buffer | null = null;
		try {
			const response = await fetch(request);
			if (response.ok) bytes = Buffer.from(await response.arrayBuffer());
		} catch {
			// An unreachable URL fails processing just like a 404 does.
		}
		if (forGeneration !== this.generation || this.files.get(file.id) !== file) return;
		file.bytes = bytes ?? Buffer.alloc(0);
		file.outcome = bytes
			? this.judge(file, bytes)
			: { status: 'FAILED', mimeType: file.claimedMimeType };
		// A slow download delays readiness: processing starts only once the bytes are in.
		file.readyAt = Math.max(file.readyAt, this.ctx.now());
		this.settle(file, forGeneration);
	}

	/** Sends File Ready / File Failed once processing has concluded; safe to call any number of times. */
	private settle(file: StoredFile, forGeneration: number): void {
		if (forGeneration !== this.generation || file.settled || this.files.get(file.id) !== file) {
			return;
		}
		const status = this.statusOf(file);
		if (status === 'PENDING') {
			// Held by pending reads: the read that releases the file settles it. Otherwise wait for readyAt, never
			// less than a few ms, so that a clock behind the timers cannot make this spin.
			if (file.outcome && file.pendingReads === 0) {
				this.schedule(file, Math.max(5, file.readyAt - this.ctx.now()));
			}
			return;
		}
		file.settled = true;
		const common = { entityFqdn: FILE_FQDN, entityId: file.id, identity: file.identity };
		if (status === 'READY') {
			this.ctx.emit({
				...common,
				eventType: `${FILE_FQDN}_file_ready`,
				slug: 'file_ready',
				actionEvent: {
					body: {
						file: this.describe(file),
						externalInfo: file.externalInfo ?? {},
						triggeredByUndelete: false,
					},
				},
			});
		} else {
			this.ctx.emit({
				...common,
				eventType: `${FILE_FQDN}_file_failed`,
				slug: 'file_failed',
				actionEvent: { body: { externalInfo: file.externalInfo ?? {} } },
			});
		}
	}

	private schedule(file: StoredFile, delayMs: number): void {
		const forGeneration = this.generation;
		const timer = setTimeout(
			() => {
				this.timers.delete(timer);
				this.settle(file, forGeneration);
			},
			Math.max(0, delayMs),
		);
		timer.unref();
		this.timers.add(timer);
	}
}
