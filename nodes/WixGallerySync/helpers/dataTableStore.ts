import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toNodeError } from '../../shared/execution';
import { getN8nApiUrl, n8nApiRequest } from '../../shared/transport/n8nApi';
import {
	copyLink,
	idOn,
	isPendingCreateFor,
	isSyncLink,
	MappingConflictError,
} from './mappingStore';
import type { MappingStore, SyncLink, SyncSide } from './mappingStore';

/**
 * The mapping in an n8n data table, reached through n8n's public REST API: every workflow and every n8n process
 * (main, webhook processors, queue-mode workers) shares it, because they share n8n's database. One row per link.
 *
 * Rows are changed by compare-and-set: an update names the row's `revision` and n8n applies it with one
 * `UPDATE … WHERE id = … AND revision = …`, so of two executions changing the same link one wins and the other
 * runs its decision again on fresh data (MappingConflictError). A new link is an insert; n8n has no unique index
 * to offer, so two executions creating the same link both insert, and the row with the lowest id wins: the other
 * sees it lost, deletes its row and runs again. Echo announcements live in the link's own row (pendingTowards,
 * pendingAction, pendingAt), and expire with the echo window. Memory only caches what one node run read.
 */

const ROWS_PER_PAGE = 250;
/** IDs per prefetch request: the filter travels in the query string. */
const IDS_PER_QUERY = 40;
const MAX_PAGES = 2000;
const TOMBSTONE_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const CLEAN_UP_EVERY_MS = 24 * 60 * 60 * 1000;

const COLUMNS: Array<{ name: string; type: 'string' | 'number' | 'boolean' }> = [
	{ name: 'linkKey', type: 'string' },
	{ name: 'wixItemId', type: 'string' },
	{ name: 'externalId', type: 'string' },
	{ name: 'galleryId', type: 'string' },
	{ name: 'removed', type: 'boolean' },
	{ name: 'revision', type: 'number' },
	{ name: 'changedAt', type: 'number' },
	{ name: 'pendingTowards', type: 'string' },
	{ name: 'pendingAction', type: 'string' },
	{ name: 'pendingAt', type: 'number' },
	{ name: 'link', type: 'string' },
];

interface StoreRef {
	rowId: number;
	revision: number;
}

interface Row {
	id: number;
	linkKey?: unknown;
	revision?: unknown;
	removed?: unknown;
	link?: unknown;
	[column: string]: unknown;
}

interface Filter {
	type: 'and' | 'or';
	filters: Array<{
		columnName: string;
		condition: string;
		value: string | number | boolean | null;
	}>;
}

/** Table IDs by API URL and table name, so that a process looks a table up once. */
const tableIds = new Map<string, string>();
const lastCleanUps = new Map<string, number>();

export function dataTableName(mappingName: string): string {
	return `Wix Gallery Sync: ${mappingName}`.slice(0, 128);
}

function refOf(link: SyncLink): StoreRef | undefined {
	const ref = link.storeRef as unknown as StoreRef | undefined;
	return ref && typeof ref.rowId === 'number' && typeof ref.revision === 'number' ? ref : undefined;
}

function sideColumn(which: SyncSide): 'wixItemId' | 'externalId' {
	return which === 'wix' ? 'wixItemId' : 'externalId';
}

/** The ID a link key was made from: the side the link was first seen on. */
function keySide(key: string): { which: SyncSide; id: string } | undefined {
	if (key.startsWith('w:')) return { which: 'wix', id: key.slice(2) };
	if (key.startsWith('e:')) return { which: 'external', id: key.slice(2) };
	return undefined;
}

function toColumns(link: SyncLink, revision: number, changedAt: number): IDataObject {
	return {
		linkKey: link.key,
		wixItemId: link.wixItemId,
		externalId: link.externalId,
		galleryId: link.galleryId,
		removed: link.removed,
		revision,
		changedAt,
		pendingTowards: link.pending?.towards ?? null,
		pendingAction: link.pending?.action ?? null,
		pendingAt: link.pending?.at ?? null,
		link: JSON.stringify({
			fields: link.fields,
			lastChangeFrom: link.lastChangeFrom,
			pending: link.pending,
			updatedAt: link.updatedAt,
		}),
	};
}

export class DataTableMappingStore implements MappingStore {
	readonly kind = 'dataTable' as const;

	private readonly rows = new Map<number, SyncLink>();
	/** Row ids by link key and by `wix:<id>` / `external:<id>`, so that a lookup never scans every row read. */
	private readonly rowsByKey = new Map<string, Set<number>>();
	private readonly rowsById = new Map<string, Set<number>>();
	/** `w:<id>` / `e:<id>` for every ID whose rows were read. */
	private readonly fetched = new Set<string>();
	private readonly reportedBadRows = new Set<number>();

	/** Requests sent by this store, for the benchmark and the tests. */
	requests = 0;

	private constructor(
		private readonly context: IExecuteFunctions,
		readonly name: string,
		private readonly apiUrl: string,
		private readonly tableId: string,
		private readonly itemIndex: number,
		private readonly warn: (message: string) => void,
	) {}

	static async open(
		context: IExecuteFunctions,
		name: string,
		itemIndex: number,
		warn: (message: string) => void,
	): Promise<DataTableMappingStore> {
		const apiUrl = await getN8nApiUrl(context, itemIndex);
		if (!/^https?:\/\/[^/]+/i.test(apiUrl)) {
			throw new NodeOperationError(
				context.getNode(),
				`The n8n API credential's API URL is not an http(s) address: "${apiUrl}"`,
				{ itemIndex, description: "It is this n8n's address followed by /api/v1" },
			);
		}
		const tableId = await findOrCreateTable(context, apiUrl, dataTableName(name), itemIndex);
		const store = new DataTableMappingStore(context, name, apiUrl, tableId, itemIndex, warn);
		try {
			await store.cleanUpTombstones();
		} catch (error) {
			// Old tombstones only cost space; the sync goes on and the next day's run tries again.
			warn(`Removed links older than 30 days could not be deleted: ${(error as Error).message}`);
		}
		return store;
	}

	private async request<T>(
		method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
		path: string,
		options: { qs?: IDataObject; body?: IDataObject; idempotent: boolean },
	): Promise<T> {
		this.requests++;
		try {
			return (await n8nApiRequest.call(
				this.context,
				{
					method,
					path: `/data-tables/${this.tableId}${path}`,
					itemIndex: this.itemIndex,
					...options,
				},
				this.apiUrl,
			)) as T;
		} catch (error) {
			// The table was deleted in n8n: the next run looks it up (and creates it) again.
			if ((error as { httpCode?: string }).httpCode === '404') {
				tableIds.delete(`${this.apiUrl}\u0000${dataTableName(this.name)}`);
			}
			throw toNodeError(this.context.getNode(), error, this.itemIndex);
		}
	}

	private async queryRows(filter: Filter): Promise<Row[]> {
		const rows: Row[] = [];
		let cursor: string | undefined;
		const seenCursors = new Set<string>();
		for (let page = 0; page < MAX_PAGES; page++) {
			const answer = await this.request<{ data?: unknown; nextCursor?: unknown }>('GET', '/rows', {
				qs: {
					filter: JSON.stringify(filter),
					limit: ROWS_PER_PAGE,
					sortBy: 'id:asc',
					...(cursor ? { cursor } : {}),
				},
				idempotent: true,
			});
			if (!Array.isArray(answer.data)) {
				throw new NodeOperationError(
					this.context.getNode(),
					"n8n's API answered a data table read without a list of rows",
					{ itemIndex: this.itemIndex },
				);
			}
			rows.push(...(answer.data as Row[]));
			const next = typeof answer.nextCursor === 'string' ? answer.nextCursor : '';
			if (!next || answer.data.length === 0 || seenCursors.has(next)) return rows;
			seenCursors.add(next);
			cursor = next;
		}
		throw new NodeOperationError(
			this.context.getNode(),
			`The mapping's data table has more than ${MAX_PAGES * ROWS_PER_PAGE} matching rows`,
			{ itemIndex: this.itemIndex },
		);
	}

	/** A row as a link, or undefined (reported once) when it is not one: a bad row never stops the sync. */
	private toLink(row: Row): SyncLink | undefined {
		let extra: IDataObject = {};
		try {
			extra = JSON.parse(String(row.link ?? '')) as IDataObject;
		} catch {
			extra = {};
		}
		const link = {
			key: row.linkKey,
			wixItemId: row.wixItemId || null,
			externalId: row.externalId || null,
			galleryId: row.galleryId || null,
			fields: extra?.fields,
			lastChangeFrom: extra?.lastChangeFrom ?? null,
			pending: extra?.pending ?? null,
			removed: row.removed === true || row.removed === 1 || row.removed === 'true',
			version: Number(row.revision),
			updatedAt: extra?.updatedAt,
		};
		if (!isSyncLink(link) || typeof row.id !== 'number' || !Number.isFinite(link.version)) {
			if (!this.reportedBadRows.has(Number(row.id))) {
				this.reportedBadRows.add(Number(row.id));
				this.warn(
					`Row ${String(row.id)} of data table "${dataTableName(this.name)}" is not a valid link and was skipped`,
				);
			}
			return undefined;
		}
		link.storeRef = { rowId: row.id, revision: link.version };
		return link;
	}

	private remember(rows: Row[]): void {
		for (const row of rows) {
			const link = this.toLink(row);
			if (link) this.setRow(row.id, link);
		}
	}

	private setRow(rowId: number, link: SyncLink): void {
		this.deleteRow(rowId);
		this.rows.set(rowId, link);
		const entries: Array<[Map<string, Set<number>>, string]> = [[this.rowsByKey, link.key]];
		for (const which of ['wix', 'external'] as const) {
			const id = idOn(link, which);
			if (id !== null) entries.push([this.rowsById, `${which}:${id}`]);
		}
		for (const [index, name] of entries) {
			let ids = index.get(name);
			if (!ids) index.set(name, (ids = new Set()));
			ids.add(rowId);
		}
	}

	private deleteRow(rowId: number): void {
		const previous = this.rows.get(rowId);
		if (!previous) return;
		this.rows.delete(rowId);
		this.rowsByKey.get(previous.key)?.delete(rowId);
		for (const which of ['wix', 'external'] as const) {
			const id = idOn(previous, which);
			if (id !== null) this.rowsById.get(`${which}:${id}`)?.delete(rowId);
		}
	}

	/**
	 * Whether a row lost a race to create its link: an older live row has the same key and still carries the ID
	 * the key was made from.
	 */
	private isLoser(rowId: number, link: SyncLink): boolean {
		if (link.removed) return false;
		const origin = keySide(link.key);
		if (!origin || idOn(link, origin.which) !== origin.id) return false;
		for (const otherId of this.rowsByKey.get(link.key) ?? []) {
			const other = this.rows.get(otherId);
			if (
				other &&
				otherId < rowId &&
				other.key === link.key &&
				!other.removed &&
				idOn(other, origin.which) === origin.id
			) {
				return true;
			}
		}
		return false;
	}

	private known(): Array<[number, SyncLink]> {
		return [...this.rows].filter(([rowId, link]) => !this.isLoser(rowId, link));
	}

	async prefetch(ids: Array<{ side: SyncSide; id: string }>): Promise<void> {
		for (const which of ['wix', 'external'] as const) {
			const wanted = [
				...new Set(ids.filter((entry) => entry.side === which).map((entry) => entry.id)),
			].filter((id) => !this.fetched.has(`${which}:${id}`));
			for (let start = 0; start < wanted.length; start += IDS_PER_QUERY) {
				const chunk = wanted.slice(start, start + IDS_PER_QUERY);
				this.remember(
					await this.queryRows({
						type: 'or',
						filters: chunk.map((id) => ({
							columnName: sideColumn(which),
							condition: 'eq',
							value: id,
						})),
					}),
				);
				for (const id of chunk) this.fetched.add(`${which}:${id}`);
			}
		}
	}

	refresh(): void {
		this.rows.clear();
		this.rowsByKey.clear();
		this.rowsById.clear();
		this.fetched.clear();
	}

	private async linksOf(which: SyncSide, id: string): Promise<SyncLink[]> {
		await this.prefetch([{ side: which, id }]);
		return [...(this.rowsById.get(`${which}:${id}`) ?? [])]
			.sort((a, b) => a - b)
			.map((rowId): [number, SyncLink | undefined] => [rowId, this.rows.get(rowId)])
			.filter(
				(entry): entry is [number, SyncLink] =>
					entry[1] !== undefined && !this.isLoser(entry[0], entry[1]),
			)
			.map(([, link]) => link);
	}

	async find(which: SyncSide, id: string): Promise<SyncLink | undefined> {
		const live = (await this.linksOf(which, id)).find((link) => !link.removed);
		return live ? copyLink(live) : undefined;
	}

	async findAll(which: SyncSide, id: string): Promise<SyncLink[]> {
		return (await this.linksOf(which, id)).filter((link) => !link.removed).map(copyLink);
	}

	async findRemoved(which: SyncSide, id: string): Promise<SyncLink | undefined> {
		const removed = (await this.linksOf(which, id)).find((link) => link.removed);
		return removed ? copyLink(removed) : undefined;
	}

	async findPendingCreate(
		towards: SyncSide,
		fields: IDataObject,
		now: number,
		windowMs: number,
	): Promise<SyncLink | undefined> {
		this.remember(
			await this.queryRows({
				type: 'and',
				filters: [
					{ columnName: 'pendingAction', condition: 'eq', value: 'create' },
					{ columnName: 'pendingTowards', condition: 'eq', value: towards },
					{ columnName: 'pendingAt', condition: 'gte', value: now - windowMs },
					{ columnName: 'removed', condition: 'eq', value: false },
					{ columnName: sideColumn(towards), condition: 'isEmpty', value: null },
				],
			}),
		);
		const match = this.known()
			.map(([, link]) => link)
			.filter((link) => isPendingCreateFor(link, towards, fields, now, windowMs))
			.sort((a, b) => (a.pending?.at ?? 0) - (b.pending?.at ?? 0))[0];
		return match ? copyLink(match) : undefined;
	}

	async put(link: SyncLink): Promise<SyncLink> {
		const ref = refOf(link);
		const saved: SyncLink = { ...copyLink(link), updatedAt: new Date().toISOString() };
		delete saved.storeRef;
		const now = Date.now();
		if (ref) {
			const revision = ref.revision + 1;
			const updated = await this.request<unknown>('PATCH', '/rows/update', {
				body: {
					filter: {
						type: 'and',
						filters: [
							{ columnName: 'id', condition: 'eq', value: ref.rowId },
							{ columnName: 'revision', condition: 'eq', value: ref.revision },
						],
					},
					data: toColumns(saved, revision, now),
					returnData: true,
				},
				idempotent: false,
			});
			if (!Array.isArray(updated) || updated.length === 0) {
				throw new MappingConflictError(link.key);
			}
			saved.version = revision;
			saved.storeRef = { rowId: ref.rowId, revision };
			this.setRow(ref.rowId, copyLink(saved));
			return copyLink(saved);
		}

		const inserted = await this.request<unknown>('POST', '/rows', {
			body: { data: [toColumns(saved, 1, now)], returnType: 'all' },
			// A lost answer may leave a row behind: the retry's row then loses to it, and the item is run again.
			idempotent: true,
		});
		const row = Array.isArray(inserted) ? (inserted[0] as Row | undefined) : undefined;
		if (!row || typeof row.id !== 'number') {
			throw new NodeOperationError(
				this.context.getNode(),
				"n8n's API did not return the row it inserted into the mapping's data table",
				{ itemIndex: this.itemIndex },
			);
		}
		saved.version = 1;
		saved.storeRef = { rowId: row.id, revision: 1 };
		this.setRow(row.id, copyLink(saved));
		const origin = keySide(saved.key);
		if (origin && idOn(saved, origin.which) === origin.id) {
			this.remember(
				await this.queryRows({
					type: 'and',
					filters: [
						{ columnName: 'linkKey', condition: 'eq', value: saved.key },
						{ columnName: 'id', condition: 'lt', value: row.id },
						{ columnName: 'removed', condition: 'eq', value: false },
					],
				}),
			);
			if (this.isLoser(row.id, saved)) {
				await this.request('DELETE', '/rows/delete', {
					qs: {
						filter: JSON.stringify({
							type: 'and',
							filters: [{ columnName: 'id', condition: 'eq', value: row.id }],
						}),
					},
					idempotent: true,
				});
				this.deleteRow(row.id);
				throw new MappingConflictError(link.key);
			}
		}
		return copyLink(saved);
	}

	async links(options: { includeRemoved?: boolean } = {}): Promise<SyncLink[]> {
		this.remember(
			await this.queryRows({
				type: 'and',
				filters: options.includeRemoved
					? []
					: [{ columnName: 'removed', condition: 'eq', value: false }],
			}),
		);
		return this.known()
			.map(([, link]) => link)
			.filter((link) => options.includeRemoved || !link.removed)
			.map(copyLink);
	}

	/** Old tombstones go once a day per process: they only have to outlive late echoes. */
	private async cleanUpTombstones(): Promise<void> {
		const now = Date.now();
		const key = `${this.apiUrl}\u0000${this.tableId}`;
		if (now - (lastCleanUps.get(key) ?? 0) < CLEAN_UP_EVERY_MS) return;
		lastCleanUps.set(key, now);
		await this.request('DELETE', '/rows/delete', {
			qs: {
				filter: JSON.stringify({
					type: 'and',
					filters: [
						{ columnName: 'removed', condition: 'eq', value: true },
						{ columnName: 'changedAt', condition: 'lt', value: now - TOMBSTONE_TTL_MS },
					],
				}),
			},
			idempotent: true,
		});
	}
}

async function findOrCreateTable(
	context: IExecuteFunctions,
	apiUrl: string,
	tableName: string,
	itemIndex: number,
): Promise<string> {
	const cacheKey = `${apiUrl}\u0000${tableName}`;
	const cached = tableIds.get(cacheKey);
	if (cached) return cached;
	const find = async (): Promise<string | undefined> => {
		const answer = (await n8nApiRequest.call(
			context,
			{
				method: 'GET',
				path: '/data-tables',
				qs: { filter: JSON.stringify({ name: tableName }), limit: 250 },
				idempotent: true,
				itemIndex,
			},
			apiUrl,
		)) as IDataObject;
		const tables = Array.isArray(answer.data) ? (answer.data as IDataObject[]) : [];
		const table = tables.find((candidate) => candidate.name === tableName);
		if (!table) return undefined;
		const columns = Array.isArray(table.columns) ? (table.columns as IDataObject[]) : undefined;
		const missing = columns
			? COLUMNS.filter((column) => !columns.some((existing) => existing.name === column.name))
			: [];
		if (missing.length > 0) {
			throw new NodeOperationError(
				context.getNode(),
				`The data table "${tableName}" is not a Wix Gallery Sync mapping: it has no column ${missing.map((column) => `"${column.name}"`).join(', ')}`,
				{ itemIndex, description: 'Rename that table, or choose another Mapping Name' },
			);
		}
		return String(table.id);
	};
	let tableId = await find();
	if (!tableId) {
		try {
			const created = (await n8nApiRequest.call(
				context,
				{
					method: 'POST',
					path: '/data-tables',
					body: { name: tableName, columns: COLUMNS },
					idempotent: false,
					itemIndex,
				},
				apiUrl,
			)) as IDataObject;
			tableId = typeof created.id === 'string' ? created.id : undefined;
		} catch (error) {
			// Another execution may have created it at the same moment: names are unique.
			tableId = await find();
			if (!tableId) throw toNodeError(context.getNode(), error, itemIndex);
		}
		tableId ??= await find();
	}
	if (!tableId) {
		throw new NodeOperationError(
			context.getNode(),
			`Could not create the data table "${tableName}" for the mapping`,
			{ itemIndex },
		);
	}
	tableIds.set(cacheKey, tableId);
	return tableId;
}
