import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { copyLink, idOn, isPendingCreateFor, isSyncLink } from './mappingStore';
import type { MappingStore, SyncLink, SyncSide } from './mappingStore';

/**
 * The mapping in the workflow's global static data: no set-up, one workflow, one n8n process.
 *
 * n8n loads static data when an execution starts and, when the execution ends, overwrites the stored object whole
 * with that execution's copy. Concurrent executions (a burst of webhooks) therefore lose each other's changes:
 * the last one to finish wins. Node code cannot merge inside n8n's save, so every change is also written to a
 * replica held in this module, shared by all executions of the workflow in the same n8n process. Opening merges
 * the replica into the execution's static data (and the static data into the replica), link by link, newest
 * version winning, with removals kept as tombstones so that an old copy cannot bring a removed link back. A change
 * made by one execution is thus visible to every other execution at once, and the next execution to save writes
 * the union. Across processes (queue mode) only the stored copy is shared, and a queue-mode worker does not even
 * load it: that is what the data table store is for.
 */

interface StoredMapping {
	links: Record<string, SyncLink>;
	/** Entries that were not links, kept aside where the user can see them instead of being dropped. */
	skipped?: IDataObject;
}

/** The replica indexes its links by both IDs, so that a node run costs the same whatever the mapping's size. */
interface Replica {
	links: Map<string, SyncLink>;
	byWix: Map<string, Set<string>>;
	byExternal: Map<string, Set<string>>;
	/** Keys of links with an announced create whose target ID is not known yet. */
	pendingCreates: Set<string>;
	/** Keys in the order they changed, from sequence number `changesBase` on: what an open copy has not taken in. */
	changes: string[];
	changesBase: number;
	touchedAt: number;
}

const STATIC_DATA_KEY = 'wixGallerySync';
/** Tombstones only have to outlive copies that might still hold the live link. */
const TOMBSTONE_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** A workflow that has not touched its mapping for this long gets its replica dropped (static data keeps it). */
const REPLICA_IDLE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_SKIPPED_KEPT = 100;
const MAX_CHANGES_KEPT = 10_000;

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

function sameIds(a: SyncLink, b: SyncLink): boolean {
	return a.wixItemId === b.wixItemId && a.externalId === b.externalId;
}

function index(replica: Replica, which: SyncSide): Map<string, Set<string>> {
	return which === 'wix' ? replica.byWix : replica.byExternal;
}

function unindex(replica: Replica, link: SyncLink): void {
	for (const which of ['wix', 'external'] as const) {
		const id = idOn(link, which);
		if (id === null) continue;
		const keys = index(replica, which).get(id);
		keys?.delete(link.key);
		if (keys?.size === 0) index(replica, which).delete(id);
	}
	replica.pendingCreates.delete(link.key);
}

function recordChange(replica: Replica, key: string): void {
	replica.changes.push(key);
	if (replica.changes.length > 2 * MAX_CHANGES_KEPT) {
		const dropped = replica.changes.length - MAX_CHANGES_KEPT;
		replica.changes.splice(0, dropped);
		replica.changesBase += dropped;
	}
}

function setInReplica(replica: Replica, link: SyncLink): void {
	recordChange(replica, link.key);
	const previous = replica.links.get(link.key);
	if (previous) unindex(replica, previous);
	replica.links.set(link.key, link);
	for (const which of ['wix', 'external'] as const) {
		const id = idOn(link, which);
		if (id === null) continue;
		let keys = index(replica, which).get(id);
		if (!keys) index(replica, which).set(id, (keys = new Set()));
		keys.add(link.key);
	}
	if (link.pending?.action === 'create' && !link.removed) replica.pendingCreates.add(link.key);
}

function deleteFromReplica(replica: Replica, key: string): void {
	const previous = replica.links.get(key);
	if (!previous) return;
	recordChange(replica, key);
	unindex(replica, previous);
	replica.links.delete(key);
}

/**
 * The mapping's container in static data, rebuilt when it is not what this version wrote: entries that are not
 * links are moved to `skipped` and reported, so one bad entry never stops the sync nor is silently lost.
 */
function storedMapping(
	staticData: IDataObject,
	name: string,
	warn: (message: string) => void,
): StoredMapping {
	let all = staticData[STATIC_DATA_KEY];
	if (typeof all !== 'object' || all === null || Array.isArray(all)) {
		if (all !== undefined) {
			warn(
				`The stored sync mappings were not an object; they were started afresh and the old value kept under "${STATIC_DATA_KEY}Skipped"`,
			);
			staticData[`${STATIC_DATA_KEY}Skipped`] = all;
		}
		all = staticData[STATIC_DATA_KEY] = {};
	}
	const mappings = all as IDataObject;
	let stored = mappings[name] as unknown;
	if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
		const old = stored;
		stored = mappings[name] = { links: {} };
		if (old !== undefined) {
			warn(
				`The stored mapping "${name}" was not an object; it was started afresh and the old value kept under "skipped"`,
			);
			(stored as { skipped: IDataObject }).skipped = { mapping: old as IDataObject[string] };
		}
	}
	const mapping = stored as { links?: unknown; skipped?: IDataObject };
	const skipped: IDataObject = {};
	let links = mapping.links;
	if (typeof links !== 'object' || links === null || Array.isArray(links)) {
		const entries = Array.isArray(links) ? (links as unknown[]) : [];
		if (links !== undefined) {
			warn(
				`The links of mapping "${name}" were not an object; they were rebuilt from what was usable`,
			);
			if (!Array.isArray(links)) skipped.links = links as IDataObject[string];
		}
		links = {};
		entries.forEach((entry, position) => {
			if (isSyncLink(entry)) (links as Record<string, SyncLink>)[entry.key] = entry;
			else skipped[`links[${position}]`] = entry as IDataObject[string];
		});
		mapping.links = links;
	}
	for (const [key, value] of Object.entries(links as Record<string, unknown>)) {
		if (isSyncLink(value) && value.key === key) continue;
		skipped[key] = value as IDataObject[string];
		delete (links as Record<string, unknown>)[key];
	}
	const skippedCount = Object.keys(skipped).length;
	if (skippedCount > 0) {
		warn(
			`${skippedCount === 1 ? '1 entry' : `${skippedCount} entries`} of mapping "${name}" ${skippedCount === 1 ? 'was not a valid link and was' : 'were not valid links and were'} set aside under "skipped" in the workflow's static data`,
		);
		const kept = { ...(mapping.skipped ?? {}), ...skipped };
		mapping.skipped = Object.fromEntries(Object.entries(kept).slice(-MAX_SKIPPED_KEPT));
	}
	return mapping as StoredMapping;
}

export class StaticDataMappingStore implements MappingStore {
	readonly kind = 'staticData' as const;

	/** The replica's change sequence number up to which the execution's copy has taken changes in. */
	private syncedTo = 0;

	private constructor(
		readonly name: string,
		private readonly stored: StoredMapping,
		private readonly replica: Replica,
	) {}

	static open(
		context: IExecuteFunctions,
		name: string,
		warn: (message: string) => void,
	): StaticDataMappingStore {
		const stored = storedMapping(context.getWorkflowStaticData('global'), name, warn);

		const now = Date.now();
		for (const [replicaKey, replica] of replicas) {
			if (now - replica.touchedAt > REPLICA_IDLE_TTL_MS) replicas.delete(replicaKey);
		}
		// Manual executions keep their own replica: n8n does not save their static data, and their test links
		// must not reach the production mapping.
		const mode = context.getMode() === 'manual' ? 'manual' : 'production';
		const replicaKey = `${context.getWorkflow().id ?? ''}\u0000${name}\u0000${mode}`;
		let replica = replicas.get(replicaKey);
		if (!replica) {
			replica = {
				links: new Map(),
				byWix: new Map(),
				byExternal: new Map(),
				pendingCreates: new Set(),
				changes: [],
				changesBase: 0,
				touchedAt: now,
			};
			replicas.set(replicaKey, replica);
		}
		replica.touchedAt = now;

		const store = new StaticDataMappingStore(name, stored, replica);
		store.merge(now);
		return store;
	}

	/** Brings the stored copy and the replica to the same, newest links, and drops old tombstones from both. */
	private merge(now: number): void {
		const keys = new Set([...Object.keys(this.stored.links), ...this.replica.links.keys()]);
		for (const key of keys) {
			const fromStore = this.stored.links[key];
			const fromReplica = this.replica.links.get(key);
			// The common case, the same version on both sides, without comparing contents.
			if (
				fromStore &&
				fromReplica &&
				fromStore.version === fromReplica.version &&
				fromStore.updatedAt === fromReplica.updatedAt &&
				!fromStore.removed
			) {
				continue;
			}
			const newest =
				fromReplica && isNewer(fromReplica, fromStore) ? fromReplica : (fromStore ?? fromReplica);
			if (!newest) continue;
			if (newest.removed && now - Date.parse(newest.updatedAt) > TOMBSTONE_TTL_MS) {
				if (fromStore) delete this.stored.links[key];
				deleteFromReplica(this.replica, key);
				continue;
			}
			if (newest !== fromStore) this.stored.links[key] = copyLink(newest);
			if (newest !== fromReplica) setInReplica(this.replica, copyLink(newest));
		}
		this.syncedTo = this.replica.changesBase + this.replica.changes.length;
	}

	/**
	 * Copies into the execution's static data what other executions changed since it last looked, so that
	 * whichever execution n8n saves last carries as many links as possible.
	 */
	private takeInChanges(): void {
		const end = this.replica.changesBase + this.replica.changes.length;
		if (this.syncedTo < this.replica.changesBase) {
			this.merge(Date.now());
			return;
		}
		for (const key of new Set(
			this.replica.changes.slice(this.syncedTo - this.replica.changesBase),
		)) {
			const link = this.replica.links.get(key);
			if (link) this.stored.links[key] = copyLink(link);
			else delete this.stored.links[key];
		}
		this.syncedTo = end;
	}

	async prefetch(): Promise<void> {}

	refresh(): void {}

	async put(link: SyncLink): Promise<SyncLink> {
		const saved: SyncLink = {
			...copyLink(link),
			version: nextVersion(),
			updatedAt: new Date().toISOString(),
		};
		// A key outlives its first ID when Record Link moves a link to another item: a new link must not take over
		// the live link that still holds the key.
		let current = this.replica.links.get(saved.key);
		if (link.version === 0 && current && !current.removed && !sameIds(current, saved)) {
			let suffix = 2;
			while (this.replica.links.has(`${link.key}#${suffix}`)) suffix++;
			saved.key = `${link.key}#${suffix}`;
			current = undefined;
		}
		// A concurrent execution may have written the replica since this store was opened.
		if (current && current.version > saved.version) saved.version = current.version + 1;
		this.takeInChanges();
		setInReplica(this.replica, saved);
		this.stored.links[saved.key] = copyLink(saved);
		this.syncedTo++;
		return copyLink(saved);
	}

	private linksOf(which: SyncSide, id: string): SyncLink[] {
		const keys = index(this.replica, which).get(id);
		if (!keys) return [];
		return [...keys]
			.map((key) => this.replica.links.get(key))
			.filter((link): link is SyncLink => link !== undefined);
	}

	async links(options: { includeRemoved?: boolean } = {}): Promise<SyncLink[]> {
		return [...this.replica.links.values()]
			.filter((link) => options.includeRemoved || !link.removed)
			.map(copyLink);
	}

	async find(which: SyncSide, id: string): Promise<SyncLink | undefined> {
		const live = this.linksOf(which, id).find((link) => !link.removed);
		return live ? copyLink(live) : undefined;
	}

	async findAll(which: SyncSide, id: string): Promise<SyncLink[]> {
		return this.linksOf(which, id)
			.filter((link) => !link.removed)
			.map(copyLink);
	}

	async findRemoved(which: SyncSide, id: string): Promise<SyncLink | undefined> {
		const removed = this.linksOf(which, id).find((link) => link.removed);
		return removed ? copyLink(removed) : undefined;
	}

	async findPendingCreate(
		towards: SyncSide,
		fields: IDataObject,
		now: number,
		windowMs: number,
	): Promise<SyncLink | undefined> {
		for (const key of this.replica.pendingCreates) {
			const link = this.replica.links.get(key);
			if (link && isPendingCreateFor(link, towards, fields, now, windowMs)) return copyLink(link);
		}
		return undefined;
	}
}
