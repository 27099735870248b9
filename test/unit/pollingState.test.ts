import { randomUUID } from 'node:crypto';

import {
	compactId,
	decodeState,
	encodeState,
	expandId,
	galleryFingerprint,
	itemVersion,
} from '../../nodes/WixGalleryPollingTrigger/helpers/state';
import type { PollState } from '../../nodes/WixGalleryPollingTrigger/helpers/state';

describe('polling trigger state', () => {
	it('keeps a GUID in 22 characters and any other ID as it is', () => {
		const guid = randomUUID();
		expect(compactId(guid)).toHaveLength(22);
		expect(expandId(compactId(guid))).toBe(guid);
		for (const id of ['item:1,2', '~tilde', 'ABCDEF01-2345-6789-ABCD-EF0123456789', '']) {
			expect(expandId(compactId(id))).toBe(id);
		}
	});

	it('round-trips through JSON, with and without tracked items', () => {
		const state: PollState = {
			selection: { all: false, ids: ['b', 'a'] },
			galleries: new Map([
				[
					randomUUID(),
					{
						fingerprint: 'f1',
						items: new Map([
							[randomUUID(), itemVersion({ updatedDate: '2026-03-01T12:00:00.123Z' })],
							['odd:id,1', itemVersion({ title: 'no date' })],
						]),
					},
				],
				[randomUUID(), { fingerprint: 'f2', items: new Map() }],
				[randomUUID(), { fingerprint: 'f3' }],
			]),
		};
		const decoded = decodeState(JSON.parse(JSON.stringify(encodeState(state))));
		expect(decoded?.galleries).toEqual(state.galleries);
		expect(decoded?.selection).toEqual({ all: false, ids: ['a', 'b'] });
	});

	it('starts over on a state it cannot read', () => {
		for (const stored of [undefined, null, 'text', { v: 2, sel: '*', g: {} }, { v: 1, sel: 3 }]) {
			expect(decodeState(stored)).toBeUndefined();
		}
	});

	it('versions an item by its updated date, else by its content; a gallery by its fields only', () => {
		expect(itemVersion({ updatedDate: '2026-03-01T12:00:00.123456Z' })).toBe(
			Date.parse('2026-03-01T12:00:00.123Z').toString(36),
		);
		expect(itemVersion({ title: 'a' })).not.toBe(itemVersion({ title: 'b' }));
		expect(itemVersion({ title: 'a', sortOrder: 1 })).toBe(
			itemVersion({ sortOrder: 1, title: 'a' }),
		);
		const gallery = { id: 'g', name: 'Holidays', sortOrder: 1 };
		expect(galleryFingerprint({ ...gallery, totalItems: 5, items: [{ id: 'i' }] })).toBe(
			galleryFingerprint(gallery),
		);
		expect(galleryFingerprint({ ...gallery, name: 'Summer' })).not.toBe(
			galleryFingerprint(gallery),
		);
	});

	it('takes 32 characters per item: 5,000 items in about 160 kB of static data', () => {
		const items = new Map<string, string>();
		const start = Date.parse('2026-03-01T12:00:00.000Z');
		for (let index = 0; index < 5000; index++) {
			items.set(
				randomUUID(),
				itemVersion({ updatedDate: new Date(start - index * 1000).toISOString() }),
			);
		}
		const stored = encodeState({
			selection: { all: true },
			galleries: new Map([[randomUUID(), { fingerprint: 'abcdefgh', items }]]),
		});
		const size = JSON.stringify(stored).length;
		expect(size).toBeGreaterThan(5000 * 32);
		expect(size).toBeLessThan(5000 * 32 + 200);
	});
});
