/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import type { ServerResponse } from 'node:http';
import { basename } from 'node:path';

import type { RouteDefinition, SandboxRequest } from '../../context';
import { invalidArgument } from '../../errors';
import { MIME_BY_EXTENSION, claimedKind, extensionOf } from './fileKinds';
import { parseImageTransform } from './imageTransforms';
import type { FileListQuery, MediaManagerStore } from './store';

/**
 * Wix Media Manager's routes (`/site-media/v1`, docs/wix-api.md §3.1): upload URLs and the upload itself, URL
 * imports, file descriptors, listing and deletion, and the static host (`/media/<id>`) that stands in for
 * static.wixstatic.com / video.wixstatic.com.
 */

const BASE = '/site-media/v1';
const LIST_DEFAULT_LIMIT = 50;
const LIST_MAX_LIMIT = 100;

function stringList(value: unknown): string[] {
	return Array.isArray(value)
		? value.filter((entry): entry is string => typeof entry === 'string')
		: [];
}

function optionalString(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

export function mediaManagerRoutes(store: MediaManagerStore): RouteDefinition[] {
	return [
		{
			method: 'POST',
			path: `${BASE}/files/generate-upload-url`,
			handler: (req) => generateUploadUrl(store, req),
		},
		{
			method: 'PUT',
			path: '/upload/v1/:token',
			handler: (req) => {
				const file = store.upload(
					req.params.token,
					req.headers['content-type'] ?? '',
					req.query.get('filename'),
					req.body,
				);
				return { body: { file: store.describe(file) } };
			},
			auth: 'none',
		},
		{ method: 'POST', path: `${BASE}/files/import`, handler: (req) => importFile(store, req) },
		// One pattern serves both the current `get-file-by-id?fileId=` path and the 2023 `/files/{fileId}` path.
		{
			method: 'GET',
			path: `${BASE}/files/:fileId`,
			handler: (req) => {
				const reference =
					req.params.fileId === 'get-file-by-id' ? req.query.get('fileId') : req.params.fileId;
				if (!reference) throw invalidArgument('fileId', 'must not be empty', 'REQUIRED_FIELD');
				return { body: { file: store.read(store.require(reference)) } };
			},
		},
		{
			method: 'POST',
			path: `${BASE}/files/get-files`,
			handler: (req) => {
				const ids = req.json()?.fileIds;
				if (!Array.isArray(ids) || ids.length === 0) {
					throw invalidArgument('fileIds', 'must contain at least one id', 'REQUIRED_FIELD');
				}
				return { body: { files: stringList(ids).map((id) => store.read(store.require(id))) } };
			},
		},
		{ method: 'GET', path: `${BASE}/files`, handler: (req) => listFiles(store, req) },
		{
			method: 'POST',
			path: `${BASE}/bulk/files/delete`,
			handler: (req) => {
				const body = req.json() ?? {};
				if (!Array.isArray(body.fileIds) || body.fileIds.length === 0) {
					throw invalidArgument('fileIds', 'must contain at least one id', 'REQUIRED_FIELD');
				}
				store.delete(stringList(body.fileIds), body.permanent === true, req.identity);
				return { body: {} };
			},
		},
		{
			method: 'GET',
			path: '/media/:fileId',
			handler: (req, res) => serveMedia(store, req, res),
			auth: 'none',
		},
		{
			method: 'GET',
			path: '/media/:fileId/v1/:method/:params/:name',
			handler: (req, res) => serveTransformedImage(store, req, res),
			auth: 'none',
		},
	];
}

function generateUploadUrl(store: MediaManagerStore, req: SandboxRequest) {
	const body = req.json() ?? {};
	const mimeType = optionalString(body.mimeType);
	if (!mimeType) throw invalidArgument('mimeType', 'must not be empty', 'REQUIRED_FIELD');
	const uploadUrl = store.openUpload({
		mimeType,
		fileName: optionalString(body.fileName),
		parentFolderId: optionalString(body.parentFolderId),
		private: body.private === true,
		labels: stringList(body.labels),
		externalInfo: body.externalInfo,
		identity: req.identity,
	});
	return { body: { uploadUrl } };
}

/** Import File: checks the URL, adds `urlParams` and `urlHeaders`, and names the file from the URL if need be. */
function importFile(store: MediaManagerStore, req: SandboxRequest) {
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
	const file = store.importFrom(
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
		new Request(target, { headers, redirect: 'follow' }),
	);
	return { body: { file: { ...store.describe(file), media: null } } };
}

/** List Files' query: folder, media types, privacy, sort and cursor paging. */
function fileListQuery(req: SandboxRequest): FileListQuery {
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
	return {
		parentFolderId: req.query.get('parentFolderId') ?? 'media-root',
		mediaTypes: req.query.getAll('mediaTypes'),
		privacy: req.query.get('private'),
		sortField,
		sortOrder,
		limit,
		offset,
	};
}

function listFiles(store: MediaManagerStore, req: SandboxRequest) {
	const query = fileListQuery(req);
	const { files: page, total } = store.list(query);
	const hasNext = query.offset + query.limit < total;
	const next = hasNext
		? Buffer.from(`offset:${query.offset + query.limit}`).toString('base64url')
		: undefined;
	return {
		body: {
			files: page,
			nextCursor: { count: page.length, cursors: next ? { next } : {}, hasNext },
		},
	};
}

/** The static host: bytes of READY files (and of video posters), as Wix's CDN serves them. */
function serveMedia(store: MediaManagerStore, req: SandboxRequest, res: ServerResponse): void {
	sendMedia(req, res, store.servedBytes(req.params.fileId));
}

/** The static host's scaled images, `/media/<id>/v1/<fit|fill>/w_<w>,h_<h>/<name>` (see ./imageTransforms). */
function serveTransformedImage(
	store: MediaManagerStore,
	req: SandboxRequest,
	res: ServerResponse,
): void {
	const transform = parseImageTransform(req.params.method, req.params.params);
	if ('invalid' in transform) {
		res.writeHead(400, { 'Content-Type': 'text/plain' });
		res.end(`Invalid image transformation: ${transform.invalid}`);
		return;
	}
	sendMedia(req, res, store.transformedBytes(req.params.fileId, transform));
}

function sendMedia(
	req: SandboxRequest,
	res: ServerResponse,
	served: { bytes: Buffer; mimeType: string } | undefined,
): void {
	if (!served) {
		res.writeHead(404, { 'Content-Type': 'text/plain' });
		res.end('Not Found');
		return;
	}
	res.writeHead(200, {
		'Content-Type': served.mimeType,
		'Content-Length': String(served.bytes.length),
		'Cache-Control': 'public, max-age=31536000',
	});
	res.end(req.method === 'HEAD' ? undefined : served.bytes);
}
