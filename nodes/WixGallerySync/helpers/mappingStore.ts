import type { IDataObject } from 'n8n-workflow';

/**
 * The sync mapping: links between Wix gallery items and items on another platform. Two stores hold it, chosen on
 * every Wix Gallery Sync node: the workflow's static data (staticDataStore.ts, one workflow in one n8n process)
 * and an n8n data table (dataTableStore.ts, every workflow and every process of one n8n). Both give the
 * operations the same MappingStore, opened once per node run.
 */

export type SyncSide = 'wix' | 'external';
export type SyncAction = 'create' | 'update' | 'delete';
export type MappingStoreKind = 'staticData' | 'dataTable';

export interface PendingWrite extends IDataObject {
	/** The side the sync is about to write to. */
	towards: SyncSide;
	action: SyncAction;
	/** The synced fields being written, which that side's echo will carry. */
	fields: IDataObject;
	/** When the write was announced (ms since the epoch); after the echo window it no longer matches echoes. */
	at: number;
	/** The execution, node and item that announced it. */
	by?: string;
}

export interface SyncLink extends IDataObject {
	key: string;
	wixItemId: string | null;
	externalId: string | null;
	galleryId: string | null;
	/** The synced fields as both sides had them after the last sync. */
	fields: IDataObject;
	/** Where the last synced change came from. */
	lastChangeFrom: SyncSide | null;
	pending: PendingWrite | null;
	removed: boolean;
	/** Orders changes to the same link across executions: the higher version wins a merge. */
	version: number;
	updatedAt: string;
}

/**
 * Another execution changed a link between this run's read and its write. The operation is run again for the
 * item on fresh data, so that its decision takes the other change into account.
 */
export class MappingConflictError extends Error {
	constructor(readonly linkKey: string) {
		super(`The link ${linkKey} was changed by another execution at the same time`);
		this.name = 'MappingConflictError';
	}
}

/** One mapping, opened for one node run. */
export interface MappingStore {
	readonly name: string;
	readonly kind: MappingStoreKind;
	/** Reads the links of these IDs in as few requests as the store allows; later finds are answered from memory. */
	prefetch(ids: Array<{ side: SyncSide; id: string }>): Promise<void>;
	/** Forgets what was read, after a conflict, so that the next reads see the other execution's change. */
	refresh(): void;
	find(which: SyncSide, id: string): Promise<SyncLink | undefined>;
	/** Every live link carrying this ID: more than one only after concurrent creates, which Record Link merges. */
	findAll(which: SyncSide, id: string): Promise<SyncLink[]>;
	findRemoved(which: SyncSide, id: string): Promise<SyncLink | undefined>;
	/**
	 * A link announced by Filter Echoes for an item being created on `towards`, whose ID there is not known yet,
	 * and whose fields equal the given ones: the created item is that write's echo.
	 */
	findPendingCreate(
		towards: SyncSide,
		fields: IDataObject,
		now: number,
		windowMs: number,
	): Promise<SyncLink | undefined>;
	/** Saves a changed or new link; throws MappingConflictError when another execution changed it first. */
	put(link: SyncLink): Promise<SyncLink>;
	links(options?: { includeRemoved?: boolean }): Promise<SyncLink[]>;
}

export function otherSide(which: SyncSide): SyncSide {
	return which === 'wix' ? 'external' : 'wix';
}

export function idOn(link: SyncLink, which: SyncSide): string | null {
	return which === 'wix' ? link.wixItemId : link.externalId;
}

/** Values as the sync compares them: absent, null and '' are the same, objects compare by content. */
function normalise(value: unknown): string {
	if (value === undefined || value === null || value === '') return '';
	if (typeof value === 'string') return value;
	if (typeof value !== 'object') return String(value);
	if (Array.isArray(value)) return JSON.stringify(value.map((entry) => normalise(entry)));
	const record = value as Record<string, unknown>;
	return JSON.stringify(
		Object.keys(record)
			.sort()
			.map((key) => [key, normalise(record[key])]),
	);
}

/** Fields of `change` that differ from `snapshot`; only the fields the change carries are compared. */
export function fieldDifferences(
	change: IDataObject,
	snapshot: IDataObject,
): Record<string, { synced: unknown; current: unknown }> {
	const differences: Record<string, { synced: unknown; current: unknown }> = {};
	for (const [name, value] of Object.entries(change)) {
		if (normalise(value) !== normalise(snapshot[name])) {
			differences[name] = { synced: snapshot[name] ?? null, current: value ?? null };
		}
	}
	return differences;
}

export function sameFields(change: IDataObject, snapshot: IDataObject): boolean {
	return Object.keys(fieldDifferences(change, snapshot)).length === 0;
}

export function isPendingCreateFor(
	link: SyncLink,
	towards: SyncSide,
	fields: IDataObject,
	now: number,
	windowMs: number,
): boolean {
	return (
		!link.removed &&
		idOn(link, towards) === null &&
		link.pending?.towards === towards &&
		link.pending.action === 'create' &&
		now - link.pending.at <= windowMs &&
		sameFields(fields, link.pending.fields)
	);
}

export function linkKey(which: SyncSide, id: string): string {
	return `${which === 'wix' ? 'w' : 'e'}:${id}`;
}

export function newLink(fields: Partial<SyncLink> & { key: string }): SyncLink {
	return {
		wixItemId: null,
		externalId: null,
		galleryId: null,
		fields: {},
		lastChangeFrom: null,
		pending: null,
		removed: false,
		version: 0,
		updatedAt: new Date(0).toISOString(),
		...fields,
	};
}

export function copyLink(link: SyncLink): SyncLink {
	return JSON.parse(JSON.stringify(link)) as SyncLink;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIdOrNull(value: unknown): boolean {
	return value === null || (typeof value === 'string' && value !== '');
}

function isSide(value: unknown): value is SyncSide {
	return value === 'wix' || value === 'external';
}

/**
 * Whether a stored value is a link this version can use. Stored data can be anything: edited by hand, written by
 * an older version, or damaged; such entries are skipped rather than allowed to stop the sync.
 */
export function isSyncLink(value: unknown): value is SyncLink {
	if (!isRecord(value)) return false;
	if (typeof value.key !== 'string' || value.key === '') return false;
	if (!isIdOrNull(value.wixItemId) || !isIdOrNull(value.externalId)) return false;
	if (value.wixItemId === null && value.externalId === null) return false;
	if (value.galleryId !== null && typeof value.galleryId !== 'string') return false;
	if (!isRecord(value.fields)) return false;
	if (value.lastChangeFrom !== null && !isSide(value.lastChangeFrom)) return false;
	if (typeof value.removed !== 'boolean') return false;
	if (typeof value.version !== 'number' || !Number.isFinite(value.version)) return false;
	if (typeof value.updatedAt !== 'string' || Number.isNaN(Date.parse(value.updatedAt)))
		return false;
	const pending = value.pending;
	if (pending === null) return true;
	return (
		isRecord(pending) &&
		isSide(pending.towards) &&
		(pending.action === 'create' || pending.action === 'update' || pending.action === 'delete') &&
		isRecord(pending.fields) &&
		typeof pending.at === 'number'
	);
}

/** A link as nodes output it: without the bookkeeping only the store needs. */
export function publicLink(link: SyncLink, mappingName: string): IDataObject {
	return {
		mapping: mappingName,
		wixItemId: link.wixItemId,
		externalId: link.externalId,
		galleryId: link.galleryId,
		fields: link.fields,
		lastChangeFrom: link.lastChangeFrom,
		pending: link.pending,
		removed: link.removed,
		updatedAt: link.updatedAt,
	};
}
