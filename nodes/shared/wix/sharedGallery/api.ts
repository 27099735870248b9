import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../../execution';
import type { WixContext } from '../../transport';
import { openSignedStream, paginateByCursor, wixApiRequest } from '../../transport';
import {
	nextCursorOf,
	normaliseDisplayUrls,
	normaliseDownloadUrl,
	normaliseItem,
} from './normalise';
import type {
	DisplayUrl,
	DownloadUrl,
	QueryFilter,
	QueryRequest,
	QueryResponse,
	SharedGalleryItem,
	StreamResponse,
} from './types';

/** Shared Gallery REST (docs/wix-api.md §2). Requests use the schema's camelCase names, which the gateway accepts. */
const BASE = '/shared-gallery/v1';

/**
 * Wix documents neither the default nor the largest page size; 50 is the size the sandbox defaults to and is well
 * within the 100 it accepts, so it is the safe choice for a real site too.
 */
export const QUERY_PAGE_SIZE = 50;

/** `filter.itemIds` makes Wix ignore paging, so one call answers at most this many ids. */
export const ID_LOOKUP_CHUNK = 100;

function compactFilter(filter: QueryFilter): IDataObject {
	const body: IDataObject = {};
	for (const [key, value] of Object.entries(filter)) {
		if (Array.isArray(value) && value.length > 0) body[key] = value;
	}
	return body;
}

export async function queryItemsPage(
	this: WixContext,
	request: QueryRequest,
	page: { limit: number; cursor?: string },
	itemIndex = 0,
): Promise<{ items: SharedGalleryItem[]; nextCursor?: string }> {
	// A cursor carries the filter and sort of the query that issued it; Wix's cursor paging takes only the cursor.
	const body: IDataObject = page.cursor
		? { paging: { limit: page.limit, cursor: page.cursor } }
		: {
				filter: compactFilter(request.filter),
				...(request.sort ? { sort: { ...request.sort } } : {}),
				paging: { limit: page.limit },
			};
	if (request.fieldset?.length) body.fieldset = request.fieldset;
	const response = (await wixApiRequest.call(this, {
		method: 'POST',
		path: `${BASE}/items/query`,
		body,
		// A query changes nothing, so it may be re-sent after a 5xx or a dropped connection.
		idempotent: true,
		itemIndex,
	})) as QueryResponse;
	return {
		items: (response.items ?? []).map(normaliseItem),
		nextCursor: nextCursorOf(response),
	};
}

/** Runs a query over as many cursor pages as needed; `max` undefined = every match. */
export async function queryItems(
	this: WixContext,
	request: QueryRequest,
	max: number | undefined,
	itemIndex = 0,
): Promise<SharedGalleryItem[]> {
	if (request.filter.itemIds?.length) return await lookUpItems.call(this, request, itemIndex, max);
	return await paginateByCursor(
		async (cursor, limit) => await queryItemsPage.call(this, request, { limit, cursor }, itemIndex),
		{ pageSize: QUERY_PAGE_SIZE, max },
	);
}

/**
 * With `filter.itemIds` Wix ignores sort and paging and answers the ids in the order asked for
 * (docs/wix-api.md §2.2), so large id lists are asked for in chunks and kept in the caller's order.
 */
async function lookUpItems(
	this: WixContext,
	request: QueryRequest,
	itemIndex: number,
	max?: number,
): Promise<SharedGalleryItem[]> {
	const ids = [...new Set(request.filter.itemIds ?? [])];
	const found: SharedGalleryItem[] = [];
	for (let start = 0; start < ids.length; start += ID_LOOKUP_CHUNK) {
		if (max !== undefined && found.length >= max) break;
		const chunk = ids.slice(start, start + ID_LOOKUP_CHUNK);
		const page = await queryItemsPage.call(
			this,
			{ ...request, filter: { ...request.filter, itemIds: chunk } },
			{ limit: chunk.length },
			itemIndex,
		);
		found.push(...page.items);
	}
	return max === undefined ? found : found.slice(0, max);
}

export async function getDownloadUrl(
	this: WixContext,
	itemIds: string[],
	itemIndex = 0,
): Promise<DownloadUrl> {
	const response = (await wixApiRequest.call(this, {
		method: 'POST',
		path: `${BASE}/items/download-url`,
		body: { itemIds },
		// Asking for a URL again only hands out another URL.
		idempotent: true,
		itemIndex,
	})) as IDataObject;
	return normaliseDownloadUrl(response, itemIds.length);
}

function isExpired(error: unknown): boolean {
	return error instanceof NodeApiError && String(error.httpCode) === '410';
}

/**
 * Gets a download URL and starts fetching it. Wix's URLs live 15 minutes; one that expired before the fetch
 * started answers 410, and then a fresh URL is asked for once.
 */
export async function openDownload(
	this: IExecuteFunctions,
	itemIds: string[],
	itemIndex: number,
): Promise<{ archived: boolean; response: StreamResponse }> {
	for (let attempt = 1; ; attempt++) {
		const { url, archived } = await getDownloadUrl.call(this, itemIds, itemIndex);
		if (!url) {
			throw new NodeOperationError(this.getNode(), 'Wix returned no download URL', { itemIndex });
		}
		try {
			return { archived, response: await openSignedStream.call(this, url, itemIndex) };
		} catch (error) {
			if (!isExpired(error)) throw toNodeError(this.getNode(), error, itemIndex);
			if (attempt >= 2) {
				throw new NodeOperationError(
					this.getNode(),
					'The Wix download link expired before the download started, also after asking for a fresh one',
					{
						itemIndex,
						description:
							'Wix download links are valid for 15 minutes. Both links answered 410 (expired); try again, or check that the time of this machine is right.',
					},
				);
			}
			this.logger?.debug('Wix download URL expired before it was fetched; asking for a fresh one');
		}
	}
}

export async function getDisplayUrls(
	this: WixContext,
	itemIds: string[],
	incrementViewCount: boolean,
	itemIndex = 0,
): Promise<DisplayUrl[]> {
	const response = (await wixApiRequest.call(this, {
		method: 'POST',
		path: `${BASE}/visual-media/view`,
		body: { itemIds, incrementViewCount },
		// Counting a view twice would be wrong, so only a URL-only request may be re-sent after a 5xx.
		idempotent: !incrementViewCount,
		itemIndex,
	})) as IDataObject;
	return normaliseDisplayUrls(response);
}
