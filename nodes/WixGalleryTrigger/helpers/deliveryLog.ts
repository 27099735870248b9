import type { IDataObject } from 'n8n-workflow';

/**
 * Which deliveries a trigger has already seen, to drop Wix's duplicate deliveries and flag out-of-order ones.
 *
 * It lives in the node's workflow static data, which n8n persists, but n8n loads that data per request and saves
 * it whole, last writer wins (n8n-conventions.md §6.3): two deliveries handled at the same time both see the log
 * without each other, and an execution that writes static data (e.g. a sync mapping further down) saves the copy
 * it loaded before this request saved its own. So the log is mirrored in process memory and every request writes
 * back the union of both, which catches concurrent duplicates within one n8n process. When a later node writes
 * static data in every execution, the persisted log is overwritten every time (seen in real n8n 2.41 with the Sync
 * node), so it is the memory copy that holds; after a restart, redeliveries may run again. Only the newest part of
 * the log is persisted (see PERSISTED_SEEN_EVENTS), and at most about once per PERSIST_INTERVAL_MS.
 */

/** Event ids kept in memory; Wix redelivers for up to 48 hours. */
export const MAX_SEEN_EVENTS = 1000;
export const SEEN_EVENT_MAX_AGE_MS = 72 * 60 * 60 * 1000;
/** Items and galleries whose latest event time is kept in memory. */
export const MAX_TRACKED_ENTITIES = 2000;
/**
 * The newest events and entities also written to static data, for after a restart. n8n loads, parses and saves
 * the whole static data on every delivery (and loads it again for the execution), so its size is paid per request:
 * the full log (about 130 KB) halved the trigger's throughput in the benchmark, 100 of each (about 12 KB) does not.
 */
export const PERSISTED_SEEN_EVENTS = 100;
export const PERSISTED_TRACKED_ENTITIES = 100;
const MAX_MEMORY_LOGS = 200;
/**
 * The log is written to static data at most once per this many ms, plus at most once in between over a copy that
 * lacks the last write: n8n saves static data on every request that changed it (about 4 ms each). Deliveries after a write stay in memory only until a delivery at least this long
 * after it writes them (there is no timer in node code): a restart forgets them.
 */
export const PERSIST_INTERVAL_MS = 1000;

/** The log as kept in process memory; both maps are in the order the persisted objects are written in. */
interface DeliveryLogState {
	/** Event id → received at (ms), oldest first. Persisted as `seenEvents`, an object of eventId → received at. */
	seenEvents: Map<string, number>;
	/** Entity key (`item:<id>` / `gallery:<id>`) → the newest eventTime processed, least recently updated first. */
	lastEventTimes: Map<string, string>;
	/** The latest received-at in `seenEvents`: a delivery received before it must be sorted in. */
	newestReceivedAt: number;
	/**
	 * Every delivery received since this time (ms) is in `seenEvents`: the time of the newest entry dropped, or, for
	 * a log started afresh, when it started. Persisted as `seenEventsSince`.
	 */
	coversSince: number;
	/** When (received-at, ms) the log was last written to static data. */
	persistedAt: number;
	/** The mark written with the log last time (see WRITE_MARK_KEY). */
	lastWriteMark?: string;
	/** Whether an older copy has been written over since the last write on the interval (one such repair each). */
	repairedSinceWrite: boolean;
}

/**
 * A mark written with the log. A copy that still carries this process's last mark is its own last write, which
 * holds nothing memory lacks, so it is not read again: n8n hands static data over in a change-tracking proxy, and
 * reading the persisted log through it took about half a millisecond per delivery.
 */
const WRITE_MARK_KEY = 'deliveryLogWrite';

export interface Delivery {
	eventId: string;
	/** `item:<id>` or `gallery:<id>`; undefined when the event names no entity to order by. */
	entityKey?: string;
	eventTime: string;
	receivedAt: number;
	/**
	 * When the token was issued (ms), given for tokens without an expiry only: such a token stays valid for ever, so
	 * it is accepted only if a first delivery of it would still be in the log.
	 */
	issuedAtWithoutExpiry?: number;
}

export interface DeliveryDecision {
	duplicate: boolean;
	/** An earlier event than one already processed for the same item or gallery. */
	stale: boolean;
	/** Why the delivery must be refused (a possible replay), when it must. */
	refused?: string;
}

/** Clock skew allowed between Wix and n8n when a token's issue time is compared with the log's coverage. */
export const ISSUED_AT_SKEW_MS = 60 * 1000;

const memoryLogs = new Map<string, DeliveryLogState>();

/** Orders Wix event times, which may carry more than millisecond precision (e.g. `…44.905701Z`). */
export function compareEventTimes(a: string, b: string): number {
	const difference = Date.parse(a) - Date.parse(b);
	if (difference !== 0 || Number.isNaN(difference))
		return Number.isNaN(difference) ? 0 : difference;
	const fraction = (time: string) => (/\.(\d+)/.exec(time)?.[1] ?? '').padEnd(9, '0');
	const [fractionA, fractionB] = [fraction(a), fraction(b)];
	return fractionA < fractionB ? -1 : fractionA > fractionB ? 1 : 0;
}

function objectEntries(value: unknown): Array<[string, unknown]> {
	return value && typeof value === 'object' ? Object.entries(value as IDataObject) : [];
}

/**
 * Adds what the persisted copy knows and memory does not (another process's deliveries, or a log loaded after a
 * restart) to the memory log. Says whether the received-at order may now be broken.
 */
function mergePersisted(state: DeliveryLogState, staticData: IDataObject): boolean {
	let reordered = false;
	const persistedSince = staticData.seenEventsSince;
	if (typeof persistedSince === 'number' && Number.isFinite(persistedSince)) {
		state.coversSince = Math.min(state.coversSince, persistedSince);
	}
	for (const [eventId, at] of objectEntries(staticData.seenEvents)) {
		if (typeof at !== 'number') continue;
		const known = state.seenEvents.get(eventId);
		if (known === undefined) reordered = true;
		if (known === undefined || at > known) state.seenEvents.set(eventId, at);
		state.newestReceivedAt = Math.max(state.newestReceivedAt, at);
	}
	for (const [key, time] of objectEntries(staticData.lastEventTimes)) {
		if (typeof time !== 'string') continue;
		const known = state.lastEventTimes.get(key);
		if (known === undefined || (known !== time && compareEventTimes(time, known) > 0)) {
			state.lastEventTimes.set(key, time);
		}
	}
	return reordered;
}

function trim(state: DeliveryLogState, now: number, reordered: boolean): void {
	if (reordered) {
		state.seenEvents = new Map([...state.seenEvents].sort((a, b) => a[1] - b[1]));
	}
	// Oldest first, so expired and surplus entries are at the front.
	for (const [eventId, at] of state.seenEvents) {
		if (now - at <= SEEN_EVENT_MAX_AGE_MS && state.seenEvents.size <= MAX_SEEN_EVENTS) break;
		state.seenEvents.delete(eventId);
		state.coversSince = Math.max(state.coversSince, at);
	}
	for (const key of state.lastEventTimes.keys()) {
		if (state.lastEventTimes.size <= MAX_TRACKED_ENTITIES) break;
		state.lastEventTimes.delete(key);
	}
}

/** The last `count` entries of a map, without copying the whole map into an array first (it runs per delivery). */
function newestEntries<K, V>(map: Map<K, V>, count: number): Array<[K, V]> {
	const skip = map.size - count;
	const newest: Array<[K, V]> = [];
	let index = 0;
	for (const entry of map) if (index++ >= skip) newest.push(entry);
	return newest;
}

/**
 * Records a delivery and says whether it was seen before and whether it is older than the newest event processed
 * for its entity. Writes the newest part of the log back to `staticData` (the node's static data). Runs on
 * every delivery, so it works in place on the memory log in one pass, and sorts only after a merge added entries.
 */
export function recordDelivery(
	staticData: IDataObject,
	memoryKey: string,
	delivery: Delivery,
): DeliveryDecision {
	const state = memoryLogs.get(memoryKey) ?? {
		seenEvents: new Map<string, number>(),
		lastEventTimes: new Map<string, string>(),
		newestReceivedAt: 0,
		coversSince: delivery.receivedAt,
		persistedAt: Number.NEGATIVE_INFINITY,
		repairedSinceWrite: false,
	};
	const ownLastWrite =
		state.lastWriteMark !== undefined && staticData[WRITE_MARK_KEY] === state.lastWriteMark;
	let reordered = ownLastWrite ? false : mergePersisted(state, staticData);
	const duplicate = state.seenEvents.has(delivery.eventId);
	if (
		!duplicate &&
		delivery.issuedAtWithoutExpiry !== undefined &&
		delivery.issuedAtWithoutExpiry < state.coversSince - ISSUED_AT_SKEW_MS
	) {
		memoryLogs.set(memoryKey, state);
		return {
			duplicate: false,
			stale: false,
			refused: `a token without expiry issued at ${new Date(delivery.issuedAtWithoutExpiry).toISOString()}, before the deliveries the trigger remembers (since ${new Date(state.coversSince).toISOString()}): it may be a replay`,
		};
	}
	let stale = false;
	if (!duplicate) {
		if (delivery.receivedAt < state.newestReceivedAt) reordered = true;
		state.seenEvents.set(delivery.eventId, delivery.receivedAt);
		state.newestReceivedAt = Math.max(state.newestReceivedAt, delivery.receivedAt);
		if (delivery.entityKey) {
			const newestTime = state.lastEventTimes.get(delivery.entityKey);
			stale = newestTime !== undefined && compareEventTimes(delivery.eventTime, newestTime) < 0;
			if (!stale) {
				// Re-inserted so that the least recently changed entities are the ones dropped first.
				state.lastEventTimes.delete(delivery.entityKey);
				state.lastEventTimes.set(delivery.entityKey, delivery.eventTime);
			}
		}
	}
	trim(state, delivery.receivedAt, reordered);

	memoryLogs.delete(memoryKey);
	memoryLogs.set(memoryKey, state);
	if (memoryLogs.size > MAX_MEMORY_LOGS) {
		memoryLogs.delete(memoryLogs.keys().next().value as string);
	}
	const due =
		delivery.receivedAt - state.persistedAt >= PERSIST_INTERVAL_MS ||
		delivery.receivedAt < state.persistedAt;
	// A copy without the last write (an execution saved what it loaded before that write was saved) is written over at
	// once, but once per interval: under concurrent deliveries most requests load their copy before the last write is
	// saved, and writing back on each of them made n8n save static data on nearly every delivery.
	const repair =
		!due && !ownLastWrite && state.lastWriteMark !== undefined && !state.repairedSinceWrite;
	if (!due && !repair) return { duplicate, stale };
	if (due) state.persistedAt = delivery.receivedAt;
	state.repairedSinceWrite = repair;
	// Whole values are assigned (not mutated in place) so that n8n's change tracking marks the data for saving.
	const persisted = newestEntries(state.seenEvents, PERSISTED_SEEN_EVENTS);
	state.lastWriteMark = `${delivery.receivedAt.toString(36)}-${Math.random().toString(36).slice(2)}`;
	staticData[WRITE_MARK_KEY] = state.lastWriteMark;
	staticData.seenEvents = Object.fromEntries(persisted);
	// What a restarted process will remember covers less when only the newest part is written.
	staticData.seenEventsSince =
		persisted.length < state.seenEvents.size
			? (persisted[0]?.[1] ?? state.coversSince)
			: state.coversSince;
	staticData.lastEventTimes = Object.fromEntries(
		newestEntries(state.lastEventTimes, PERSISTED_TRACKED_ENTITIES),
	);
	return { duplicate, stale };
}

/** Forgets the in-memory mirror (tests use it to model an n8n restart). */
export function forgetRememberedDeliveries(memoryKey?: string): void {
	if (memoryKey === undefined) memoryLogs.clear();
	else memoryLogs.delete(memoryKey);
}
