import type { IDataObject } from 'n8n-workflow';

import {
	MAX_SEEN_EVENTS,
	MAX_TRACKED_ENTITIES,
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

describe('recordDelivery', () => {
	it('says duplicate for a repeated event id and stale for an older event of the same entity', () => {
		const staticData: IDataObject = {};
		const key = freshKey();
		expect(recordDelivery(staticData, key, delivery('a', '2026-03-01T11:00:02Z'))).toEqual({
			duplicate: false,
			stale: false,
		});
		expect(recordDelivery(staticData, key, delivery('a', '2026-03-01T11:00:02Z'))).toEqual({
			duplicate: true,
			stale: false,
		});
		expect(recordDelivery(staticData, key, delivery('b', '2026-03-01T11:00:01Z'))).toEqual({
			duplicate: false,
			stale: true,
		});
		// Another item is ordered on its own; the stale event did not move the item's newest time back.
		expect(
			recordDelivery(staticData, key, delivery('c', '2026-03-01T11:00:00Z', 'item:2')).stale,
		).toBe(false);
		expect(recordDelivery(staticData, key, delivery('d', '2026-03-01T11:00:01.5Z')).stale).toBe(
			true,
		);
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
				delivery(`event-${index}`, '2026-03-01T11:00:00Z', `item:${index}`, NOW + index),
			);
		}
		const seen = Object.keys(staticData.seenEvents as IDataObject);
		expect(seen).toHaveLength(MAX_SEEN_EVENTS);
		expect(seen).not.toContain('ancient');
		expect(seen).not.toContain('event-4');
		expect(seen).toContain('event-5');
		expect(Object.keys(staticData.lastEventTimes as IDataObject).length).toBeLessThanOrEqual(
			MAX_TRACKED_ENTITIES,
		);
	});

	it('writes back the union of static data and memory, repairing a static data copy that lost entries', () => {
		const key = freshKey();
		const staticData: IDataObject = {};
		recordDelivery(staticData, key, delivery('a', '2026-03-01T11:00:00Z'));
		// Another execution saved an older copy over it.
		const overwritten: IDataObject = { seenEvents: { other: NOW }, lastEventTimes: {} };
		expect(recordDelivery(overwritten, key, delivery('a', '2026-03-01T11:00:00Z')).duplicate).toBe(
			true,
		);
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
