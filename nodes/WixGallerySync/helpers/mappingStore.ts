import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * The sync mapping: links between Wix gallery items and items on another platform, kept in the workflow's global
 * static data so that every Wix Gallery Sync node of the workflow (Filter Echoes, Record Link, ...) sees the same
 * mapping.
 *
 * n8n loads static data when an execution starts and, when the execution ends, overwrites the stored object whole
 * with that execution's copy. Concurrent executions (a burst of webhooks) therefore lose each other's changes:
 * the last one to finish wins. Node code cannot merge inside n8n's save, so every change is also written to a
 * replica held in this module, shared by all executions of the workflow in the same n8n process. Each access
 * merges the replica into the execution's static data (and the static data into the replica), link by link, newest
 * version winning, with removals kept as tombstones so that an old copy cannot bring a removed link back. A change
 * made by one execution is thus visible to every other execution at once, and the next execution to save writes
 * the union. Across processes (queue mode with several workers) only the stored copy is shared; see the README.
 */

export type SyncSide = 'wix' | 'external';
export type SyncAction = 'create' | 'update' | 'delete';

export interface PendingWrite extends IDataObject {
	/** The side the sync is about to write to. */
	towards: SyncSide;
	action: SyncAction;
	/** The synced fields being written, which that side's echo will carry. */
	fields: IDataObject;
	/** When the write was announced (ms since the epoch); after the echo window it no longer matches echoes. */
	at: number;
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

interface MappingData {
	links: Record<string, SyncLink>;
}

interface Replica extends MappingData {
	touchedAt: number;
}

const STATIC_DATA_KEY = 'wixGallerySync';
/** Tombstones only have to outlive copies that might still hold the live link. */
const TOMBSTONE_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** A workflow that has not touched its mapping for this long gets its replica dropped (static data keeps it). */
const REPLICA_IDLE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const replicas = new Map<string, Replica>();
let lastVersion = 0;

function nextVersion(): number {
	lastVersion = Math.max(Date.now(), lastVersion + 1);
	return lastVersion;
}

/** Whether `candidate` should replace `current` in a merge. Equal versions are ordered by content, so all copies agree. */
function isNewer(candidate: SyncLink, current: SyncLink | undefined): boolean {
	if (!current) return true;
	if (candidate.version !== current.version) return candidate.version > current.version;
	return JSON.stringify(candidate) > JSON.stringify(current);
}

function copyLink(link: SyncLink): SyncLink {
	return JSON.parse(JSON.stringify(link)) as SyncLink;
}

function side(link: SyncLink, which: SyncSide): string | null {
	return which === 'wix' ? link.wixItemId : link.externalId;
}

export function otherSide(which: SyncSide): SyncSide {
	return which === 'wix' ? 'external' : 'wix';
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

/** An open mapping for one node run: reads and writes go to both the execution's static data and the replica. */
export class Mapping {
	private constructor(
		readonly name: string,
		private readonly stored: MappingData,
		private readonly replica: Replica,
	) {}

	static open(context: IExecuteFunctions, name: string): Mapping {
		const staticData = context.getWorkflowStaticData('global');
		const all = (staticData[STATIC_DATA_KEY] ??= {}) as IDataObject;
		const stored = (all[name] ??= { links: {} }) as unknown as MappingData;
		stored.links ??= {};

		const now = Date.now();
		for (const [replicaKey, replica] of replicas) {
			if (now - replica.touchedAt > REPLICA_IDLE_TTL_MS) replicas.delete(replicaKey);
		}
		const replicaKey = `${context.getWorkflow().id ?? ''}\u0000${name}`;
		let replica = replicas.get(replicaKey);
		if (!replica) {
			replica = { links: {}, touchedAt: now };
			replicas.set(replicaKey, replica);
		}
		replica.touchedAt = now;

		const mapping = new Mapping(name, stored, replica);
		mapping.merge(now);
		return mapping;
	}

	/** Brings the stored copy and the replica to the same, newest links, and drops old tombstones from both. */
	private merge(now: number): void {
		const keys = new Set([...Object.keys(this.stored.links), ...Object.keys(this.replica.links)]);
		for (const key of keys) {
			const fromStore = this.stored.links[key];
			const fromReplica = this.replica.links[key];
			const newest =
				fromReplica && isNewer(fromReplica, fromStore) ? fromReplica : (fromStore ?? fromReplica);
			if (newest.removed && now - Date.parse(newest.updatedAt) > TOMBSTONE_TTL_MS) {
				if (fromStore) delete this.stored.links[key];
				delete this.replica.links[key];
				continue;
			}
			if (newest !== fromStore) this.stored.links[key] = copyLink(newest);
			if (newest !== fromReplica) this.replica.links[key] = copyLink(newest);
		}
	}

	/** Saves a changed link as a new version, visible at once to other executions in this process. */
	put(link: SyncLink): SyncLink {
		const saved: SyncLink = {
			...copyLink(link),
			version: nextVersion(),
			updatedAt: new Date().toISOString(),
		};
		// A concurrent execution may have written the replica since this mapping was opened.
		const current = this.replica.links[saved.key];
		if (current && current.version > saved.version) saved.version = current.version + 1;
		this.replica.links[saved.key] = saved;
		this.stored.links[saved.key] = copyLink(saved);
		return copyLink(saved);
	}

	/** Every link, tombstones included, newest copy. */
	private all(): SyncLink[] {
		return Object.values(this.replica.links);
	}

	links(options: { includeRemoved?: boolean } = {}): SyncLink[] {
		return this.all()
			.filter((link) => options.includeRemoved || !link.removed)
			.map(copyLink);
	}

	find(which: SyncSide, id: string): SyncLink | undefined {
		const live = this.all().find((link) => !link.removed && side(link, which) === id);
		return live ? copyLink(live) : undefined;
	}

	findRemoved(which: SyncSide, id: string): SyncLink | undefined {
		const removed = this.all().find((link) => link.removed && side(link, which) === id);
		return removed ? copyLink(removed) : undefined;
	}

	/**
	 * A link announced by Filter Echoes for an item being created on `towards`, whose ID there is not known yet,
	 * and whose fields equal the given ones: the created item is that write's echo.
	 */
	findPendingCreate(
		towards: SyncSide,
		fields: IDataObject,
		now: number,
		windowMs: number,
	): SyncLink | undefined {
		const match = this.all().find(
			(link) =>
				!link.removed &&
				side(link, towards) === null &&
				link.pending?.towards === towards &&
				link.pending.action === 'create' &&
				now - link.pending.at <= windowMs &&
				sameFields(fields, link.pending.fields),
		);
		return match ? copyLink(match) : undefined;
	}

	newLink(fields: Partial<SyncLink> & { key: string }): SyncLink {
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
}

export function linkKey(which: SyncSide, id: string): string {
	return `${which === 'wix' ? 'w' : 'e'}:${id}`;
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
