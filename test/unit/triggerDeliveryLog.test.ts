import type { IDataObject } from 'n8n-workflow';

import {
	MAX_SEEN_EVENTS,
	MAX_TRACKED_ENTITIES,
	PERSISTED_SEEN_EVENTS,
	PERSISTED_TRACKED_ENTITIES,
	PERSIST_INTERVAL_MS,
	SEEN_EVENT_MAX_AGE_MS,
	compareEventTimes,
	forgetRememberedDeliveries,
	recordDelivery,
} from '../../nodes/WixGalleryTrigger/helpers/deliveryLog';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
let keyCounter = 0;
const freshKey = () => `workflow-${++keyCounter}/node`;

function delivery(eventId: string, eventTime: string, entityKey = 'item:1', receivedAt = NOW) {
	return { eventId, eventTime, entityKey, receivedAt };
}

/** Received `step` write intervals after NOW: each such delivery writes static data. */
const spaced = (step: number) => NOW + step * PERSIST_INTERVAL_MS;

describe('recordDelivery', () => {
	it('says duplicate for a repeated event id and stale for an older event of the same entity', () => {
		const staticData: IDataObject = {};
		const key = freshKey();
		const record = (eventId: string, eventTime: string, entityKey: string, step: number) =>
			recordDelivery(staticData, key, delivery(eventId, eventTime, entityKey, spaced(step)));
		expect(record('a', '2026-03-01T11:00:02Z', 'item:1', 0)).toEqual({
			duplicate: false,
			stale: false,
		});
		expect(record('a', '2026-03-01T11:00:02Z', 'item:1', 1)).toEqual({
			duplicate: true,
			stale: false,
		});
		expect(record('b', '2026-03-01T11:00:01Z', 'item:1', 2)).toEqual({
			duplicate: false,
			stale: true,
		});
		// Another item is ordered on its own; the stale event did not move the item's newest time back.
		expect(record('c', '2026-03-01T11:00:00Z', 'item:2', 3).stale).toBe(false);
		expect(record('d', '2026-03-01T11:00:01.5Z', 'item:1', 4).stale).toBe(true);
		expect(staticData.lastEventTimes).toEqual({
			'item:2': '2026-03-01T11:00:00Z',
			'item:1': '2026-03-01T11:00:02Z',
		});
	});

	it('keeps at most the newest event ids and drops ones older than Wix retries', () => {
		const staticData: IDataObject = {};
		const key = freshKey();
		recordDelivery(
			staticData,
			key,
			delivery('ancient', '2026-01-01T00:00:00Z', undefined, NOW - SEEN_EVENT_MAX_AGE_MS - 1),
		);
		for (let index = 0; index < MAX_SEEN_EVENTS + 5; index++) {
			recordDelivery(
				staticData,
				key,
				delivery(`event-${index}`, '2026-03-01T11:00:00Z', `item:${index}`, spaced(index)),
			);
		}
		// Static data holds the newest events only; memory holds up to MAX_SEEN_EVENTS.
		const persisted = Object.keys(staticData.seenEvents as IDataObject);
		expect(persisted).toEqual(
			Array.from(
				{ length: PERSISTED_SEEN_EVENTS },
				(_, index) => `event-${MAX_SEEN_EVENTS + 5 - PERSISTED_SEEN_EVENTS + index}`,
			),
		);
		expect(Object.keys(staticData.lastEventTimes as IDataObject)).toHaveLength(
			PERSISTED_TRACKED_ENTITIES,
		);
		const later = spaced(MAX_SEEN_EVENTS + 10);
		const again = (eventId: string) =>
			recordDelivery(staticData, key, delivery(eventId, '2026-03-01T11:00:00Z', 'item:x', later))
				.duplicate;
		expect(again('event-5')).toBe(true);
		// Dropped from memory by the cap, and the ancient one by age.
		expect(again('event-4')).toBe(false);
		expect(again('ancient')).toBe(false);
	});

	it('keeps at most MAX_TRACKED_ENTITIES items in memory, least recently changed dropped first', () => {
		const staticData: IDataObject = {};
		const key = freshKey();
		for (let index = 0; index <= MAX_TRACKED_ENTITIES; index++) {
			recordDelivery(
				staticData,
				key,
				delivery(`e-${index}`, '2026-03-01T11:00:05Z', `item:${index}`, NOW + index),
			);
		}
		const older = (entity: string, eventId: string) =>
			recordDelivery(staticData, key, delivery(eventId, '2026-03-01T11:00:00Z', entity, NOW)).stale;
		// item:1 is still tracked; item:0 was dropped, so an older event for it is not recognised as stale.
		expect(older('item:1', 'late-1')).toBe(true);
		expect(older('item:0', 'late-0')).toBe(false);
	});

	it('finds duplicates after a restart among the persisted newest events', () => {
		const staticData: IDataObject = {};
		const key = freshKey();
		for (let index = 0; index < PERSISTED_SEEN_EVENTS + 1; index++) {
			recordDelivery(
				staticData,
				key,
				delivery(`r-${index}`, '2026-03-01T11:00:00Z', `item:${index}`, spaced(index)),
			);
		}
		forgetRememberedDeliveries(key);
		const restarted: IDataObject = JSON.parse(JSON.stringify(staticData));
		const redelivered = (eventId: string) =>
			recordDelivery(
				restarted,
				key,
				delivery(eventId, '2026-03-01T11:00:00Z', 'item:y', spaced(PERSISTED_SEEN_EVENTS + 5)),
			).duplicate;
		expect(redelivered(`r-${PERSISTED_SEEN_EVENTS}`)).toBe(true);
		expect(redelivered('r-1')).toBe(true);
		// The oldest one fell out of the persisted window.
		expect(redelivered('r-0')).toBe(false);
	});

	it('writes back the union of static data and memory, repairing a static data copy that lost entries', () => {
		const key = freshKey();
		const staticData: IDataObject = {};
		recordDelivery(staticData, key, delivery('a', '2026-03-01T11:00:00Z'));
		// Another execution saved an older copy over it; the next write (an interval later) holds both.
		const overwritten: IDataObject = { seenEvents: { other: NOW }, lastEventTimes: {} };
		expect(
			recordDelivery(
				overwritten,
				key,
				delivery('a', '2026-03-01T11:00:00Z', 'item:1', NOW + PERSIST_INTERVAL_MS),
			).duplicate,
		).toBe(true);
		expect(Object.keys(overwritten.seenEvents as IDataObject).sort()).toEqual(['a', 'other']);
		expect(overwritten.lastEventTimes).toEqual({ 'item:1': '2026-03-01T11:00:00Z' });

		forgetRememberedDeliveries(key);
		const restarted: IDataObject = JSON.parse(JSON.stringify(overwritten));
		expect(
			recordDelivery(restarted, key, delivery('other', '2026-03-01T11:00:00Z')).duplicate,
		).toBe(true);
		expect(recordDelivery({}, key, delivery('a', '2026-03-01T11:00:00Z')).duplicate).toBe(true);
		forgetRememberedDeliveries(key);
		expect(recordDelivery({}, key, delivery('a', '2026-03-01T11:00:00Z')).duplicate).toBe(false);
	});

	it('writes static data at most once per PERSIST_INTERVAL_MS, and over an overwritten copy once in between', () => {
		const key = freshKey();
		const staticData: IDataObject = {};
		const record = (eventId: string, receivedAt: number, data = staticData) =>
			recordDelivery(
				data,
				key,
				delivery(eventId, '2026-03-01T11:00:00Z', `item:${eventId}`, receivedAt),
			);
		record('first', NOW);
		record('soon', NOW + PERSIST_INTERVAL_MS - 1);
		expect(Object.keys(staticData.seenEvents as IDataObject)).toEqual(['first']);
		record('later', NOW + PERSIST_INTERVAL_MS);
		expect(Object.keys(staticData.seenEvents as IDataObject)).toEqual(['first', 'soon', 'later']);

		// A later node saved the copy it loaded before 'later' was written: the next delivery writes back at once...
		const overwritten: IDataObject = { seenEvents: { first: NOW }, lastEventTimes: {} };
		record('next', NOW + PERSIST_INTERVAL_MS + 1, overwritten);
		expect(Object.keys(overwritten.seenEvents as IDataObject)).toEqual([
			'first',
			'soon',
			'later',
			'next',
		]);
		// ...once per interval: under concurrent deliveries most requests load a copy older than the last write.
		const loadedEarlier: IDataObject = { seenEvents: { first: NOW }, lastEventTimes: {} };
		record('concurrent', NOW + PERSIST_INTERVAL_MS + 2, loadedEarlier);
		expect(Object.keys(loadedEarlier.seenEvents as IDataObject)).toEqual(['first']);
		record('again', NOW + 2 * PERSIST_INTERVAL_MS, overwritten);
		expect(Object.keys(overwritten.seenEvents as IDataObject)).toEqual([
			'first',
			'soon',
			'later',
			'next',
			'concurrent',
			'again',
		]);

		// A restart forgets what was not written yet: here the one delivery after the last write.
		record('unwritten', NOW + 2 * PERSIST_INTERVAL_MS + 1, overwritten);
		forgetRememberedDeliveries(key);
		const restarted: IDataObject = JSON.parse(JSON.stringify(overwritten));
		const after = NOW + 4 * PERSIST_INTERVAL_MS;
		expect(record('next', after, restarted).duplicate).toBe(true);
		expect(record('unwritten', after + 1, restarted).duplicate).toBe(false);
	});

	it('reads the persisted log only when it is not this process’s own last write', () => {
		const key = freshKey();
		const staticData: IDataObject = {};
		const record = (eventId: string, receivedAt: number, data: IDataObject) =>
			recordDelivery(
				data,
				key,
				delivery(eventId, '2026-03-01T11:00:00Z', `item:${eventId}`, receivedAt),
			);
		record('first', NOW, staticData);
		// n8n hands static data over in a proxy; count how often the persisted log's entries are listed.
		let listed = 0;
		const counting = (data: IDataObject): IDataObject => ({
			...data,
			seenEvents: new Proxy(data.seenEvents as IDataObject, {
				ownKeys: (target) => {
					listed++;
					return Reflect.ownKeys(target);
				},
			}),
		});
		record('second', NOW + 1, counting(staticData));
		expect(listed).toBe(0);

		// Another process wrote the log since (its own mark, an event this one never saw): it is merged.
		const written = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		written.deliveryLogWrite = 'another-process';
		(written.seenEvents as IDataObject).elsewhere = NOW + 2;
		expect(record('elsewhere', NOW + 3, counting(written)).duplicate).toBe(true);
		expect(listed).toBeGreaterThan(0);
	});

	it('ignores unreadable static data instead of failing', () => {
		const staticData: IDataObject = { seenEvents: 'oops', lastEventTimes: { 'item:1': 5 } };
		expect(recordDelivery(staticData, freshKey(), delivery('a', '2026-03-01T11:00:00Z'))).toEqual({
			duplicate: false,
			stale: false,
		});
	});
});

describe('compareEventTimes', () => {
	it('orders Wix event times beyond millisecond precision', () => {
		expect(
			compareEventTimes('2021-12-16T12:28:44.905701Z', '2021-12-16T12:28:44.905702Z'),
		).toBeLessThan(0);
		expect(compareEventTimes('2021-12-16T12:28:44.9057Z', '2021-12-16T12:28:44.905700Z')).toBe(0);
		expect(
			compareEventTimes('2021-12-16T12:28:45Z', '2021-12-16T12:28:44.999999Z'),
		).toBeGreaterThan(0);
		expect(compareEventTimes('2021-12-16T13:28:44+01:00', '2021-12-16T12:28:44.5Z')).toBeLessThan(
			0,
		);
	});
});

describe('tokens without expiry', () => {
	const withoutExpiry = (eventId: string, issuedAt: number, receivedAt: number) => ({
		...delivery(eventId, '2026-03-01T11:00:00Z', `item:${eventId}`, receivedAt),
		issuedAtWithoutExpiry: issuedAt,
	});

	it('are refused once their first delivery may have been forgotten (1,001 other events later)', () => {
		const staticData: IDataObject = {};
		const key = freshKey();
		expect(recordDelivery(staticData, key, withoutExpiry('replayed', NOW, NOW))).toEqual({
			duplicate: false,
			stale: false,
		});
		expect(recordDelivery(staticData, key, withoutExpiry('replayed', NOW, NOW + 1)).duplicate).toBe(
			true,
		);
		for (let index = 0; index < MAX_SEEN_EVENTS + 1; index++) {
			recordDelivery(
				staticData,
				key,
				delivery(`other-${index}`, '2026-03-01T11:00:00Z', 'item:x', NOW + 120000 + index * 100),
			);
		}
		const replay = recordDelivery(staticData, key, withoutExpiry('replayed', NOW, NOW + 300000));
		expect(replay.duplicate).toBe(false);
		expect(replay.refused).toMatch(/token without expiry issued at .* it may be a replay/);
		// A new token without expiry, issued now, still passes.
		expect(
			recordDelivery(staticData, key, withoutExpiry('fresh', NOW + 300000, NOW + 300001)).refused,
		).toBeUndefined();
	});

	it('within the 60 s skew of what the log covers are accepted; older ones are not, also after a restart', () => {
		const staticData: IDataObject = {};
		const key = freshKey();
		expect(
			recordDelivery(staticData, key, withoutExpiry('early', NOW - 59000, NOW)).refused,
		).toBeUndefined();
		expect(
			recordDelivery(staticData, key, withoutExpiry('older', NOW - 61000, NOW + 1)).refused,
		).toBeDefined();
		// A restarted process knows only what static data says the log covers.
		forgetRememberedDeliveries(key);
		expect(staticData.seenEventsSince).toBe(NOW);
		expect(
			recordDelivery(staticData, key, withoutExpiry('older', NOW - 61000, NOW + 5)).refused,
		).toBeDefined();
		expect(
			recordDelivery(staticData, key, withoutExpiry('early', NOW - 59000, NOW + 6)).duplicate,
		).toBe(true);
	});
});
