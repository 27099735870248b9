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
 * node), so it is the memory copy that holds; after a restart, redeliveries may run again.
 */

/** Event ids kept; Wix redelivers for up to 48 hours. */
export const MAX_SEEN_EVENTS = 1000;
export const SEEN_EVENT_MAX_AGE_MS = 72 * 60 * 60 * 1000;
/** Items and galleries whose latest event time is kept. */
export const MAX_TRACKED_ENTITIES = 2000;
const MAX_MEMORY_LOGS = 200;

export interface DeliveryLogState {
	/** [eventId, received at (ms)], oldest first; stored as an object of eventId → received at. */
	seenEvents: Array<[string, number]>;
	/** Entity key (`item:<id>` / `gallery:<id>`) → the newest eventTime processed, least recently updated first. */
	lastEventTimes: Record<string, string>;
}

export interface Delivery {
	eventId: string;
	/** `item:<id>` or `gallery:<id>`; undefined when the event names no entity to order by. */
	entityKey?: string;
	eventTime: string;
	receivedAt: number;
}

export interface DeliveryDecision {
	duplicate: boolean;
	/** An earlier event than one already processed for the same item or gallery. */
	stale: boolean;
}

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

function readStaticState(staticData: IDataObject): DeliveryLogState {
	const seenEvents: Array<[string, number]> = [];
	if (staticData.seenEvents && typeof staticData.seenEvents === 'object') {
		for (const [eventId, at] of Object.entries(staticData.seenEvents as IDataObject)) {
			if (typeof at === 'number') seenEvents.push([eventId, at]);
		}
	}
	const lastEventTimes: Record<string, string> = {};
	if (staticData.lastEventTimes && typeof staticData.lastEventTimes === 'object') {
		for (const [key, time] of Object.entries(staticData.lastEventTimes as IDataObject)) {
			if (typeof time === 'string') lastEventTimes[key] = time;
		}
	}
	return { seenEvents: seenEvents.sort((a, b) => a[1] - b[1]), lastEventTimes };
}

function union(
	persisted: DeliveryLogState,
	remembered: DeliveryLogState | undefined,
): DeliveryLogState {
	if (!remembered) return persisted;
	const received = new Map<string, number>();
	for (const [eventId, at] of [...persisted.seenEvents, ...remembered.seenEvents]) {
		received.set(eventId, Math.max(at, received.get(eventId) ?? at));
	}
	const lastEventTimes = { ...remembered.lastEventTimes };
	for (const [key, time] of Object.entries(persisted.lastEventTimes)) {
		const known = lastEventTimes[key];
		if (known === undefined || (known !== time && compareEventTimes(time, known) > 0)) {
			lastEventTimes[key] = time;
		}
	}
	return {
		seenEvents: [...received.entries()].sort((a, b) => a[1] - b[1]),
		lastEventTimes,
	};
}

function bounded(state: DeliveryLogState, now: number): DeliveryLogState {
	const fresh = state.seenEvents.filter(([, at]) => now - at <= SEEN_EVENT_MAX_AGE_MS);
	const keys = Object.keys(state.lastEventTimes);
	const lastEventTimes: Record<string, string> = {};
	for (const key of keys.slice(Math.max(0, keys.length - MAX_TRACKED_ENTITIES))) {
		lastEventTimes[key] = state.lastEventTimes[key];
	}
	return { seenEvents: fresh.slice(Math.max(0, fresh.length - MAX_SEEN_EVENTS)), lastEventTimes };
}

/**
 * Records a delivery and says whether it was seen before and whether it is older than the newest event processed
 * for its entity. Writes the whole log back to `staticData` (the node's static data), so n8n saves it.
 */
export function recordDelivery(
	staticData: IDataObject,
	memoryKey: string,
	delivery: Delivery,
): DeliveryDecision {
	const state = union(readStaticState(staticData), memoryLogs.get(memoryKey));
	const duplicate = state.seenEvents.some(([eventId]) => eventId === delivery.eventId);
	let stale = false;
	if (!duplicate) {
		state.seenEvents.push([delivery.eventId, delivery.receivedAt]);
		if (delivery.entityKey) {
			const newest = state.lastEventTimes[delivery.entityKey];
			stale = newest !== undefined && compareEventTimes(delivery.eventTime, newest) < 0;
			if (!stale) {
				// Re-inserted so that the least recently changed entities are the ones dropped first.
				delete state.lastEventTimes[delivery.entityKey];
				state.lastEventTimes[delivery.entityKey] = delivery.eventTime;
			}
		}
	}
	const kept = bounded(state, delivery.receivedAt);

	memoryLogs.delete(memoryKey);
	memoryLogs.set(memoryKey, kept);
	if (memoryLogs.size > MAX_MEMORY_LOGS) {
		memoryLogs.delete(memoryLogs.keys().next().value as string);
	}
	// Whole values are assigned (not mutated in place) so that n8n's change tracking marks the data for saving.
	staticData.seenEvents = Object.fromEntries(kept.seenEvents);
	staticData.lastEventTimes = { ...kept.lastEventTimes };
	return { duplicate, stale };
}

/** Forgets the in-memory mirror (tests use it to model an n8n restart). */
export function forgetRememberedDeliveries(memoryKey?: string): void {
	if (memoryKey === undefined) memoryLogs.clear();
	else memoryLogs.delete(memoryKey);
}
