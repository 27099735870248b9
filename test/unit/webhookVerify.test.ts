import { constants, createHmac, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import {
	flattenGalleryEvent,
	galleryEventName,
} from '../../nodes/WixGalleryTrigger/webhooks/events';
import {
	WebhookKeyError,
	WebhookVerificationError,
	normalisePublicKeyPem,
	verifyWixWebhook,
} from '../../nodes/WixGalleryTrigger/webhooks/verify';
import type { WebhookVerificationFailure } from '../../nodes/WixGalleryTrigger/webhooks/verify';

const APP_ID = 'app-1234';
const INSTANCE_ID = 'instance-5678';
const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const NOW_SECONDS = Math.floor(NOW / 1000);

function rsaKeys(modulusLength = 2048) {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength });
	return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

const wix = rsaKeys();
const stranger = rsaKeys();

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

type Signer = (data: Buffer) => Buffer;
const rs256 =
	(key: KeyObject = wix.privateKey): Signer =>
	(data) =>
		sign('sha256', data, key);

function compact(header: object, claims: object | string, signer: Signer | null): string {
	const head = b64(JSON.stringify(header));
	const payload = b64(typeof claims === 'string' ? claims : JSON.stringify(claims));
	const signature = signer ? b64(signer(Buffer.from(`${head}.${payload}`))) : '';
	return `${head}.${payload}.${signature}`;
}

const itemEvent = {
	id: 'event-1',
	entityFqdn: 'wix.pro_gallery.gallery_v2',
	slug: 'gallery_item_created',
	entityId: 'gallery-1',
	eventTime: '2026-03-01T11:59:59.123456Z',
	triggeredByAnonymizeRequest: false,
	actionEvent: {
		body: {
			item: {
				id: 'item-1',
				sortOrder: 2.5,
				title: 'Sunset',
				type: 'IMAGE',
				image: {
					type: 'WIX_MEDIA',
					imageInfo: { id: 'file-1', url: 'https://static.wixstatic.com/media/file-1.jpg' },
				},
			},
		},
	},
};

function envelope(overrides: Record<string, unknown> = {}, event: object = itemEvent) {
	return JSON.stringify({
		eventType: 'wix.pro_gallery.gallery_v2_gallery_item_created',
		instanceId: INSTANCE_ID,
		data: JSON.stringify(event),
		identity: JSON.stringify({ identityType: 'WIX_USER', wixUserId: 'user-1' }),
		accountInfo: { accountId: 'account-1', siteId: 'site-1' },
		...overrides,
	});
}

function claims(overrides: Record<string, unknown> = {}) {
	return {
		data: envelope(),
		iat: NOW_SECONDS - 5,
		exp: NOW_SECONDS + 3600,
		iss: 'wix.com',
		aud: APP_ID,
		...overrides,
	};
}

const RS256_HEADER = { alg: 'RS256', typ: 'JWT', kid: 'key-1' };

function validToken(claimOverrides: Record<string, unknown> = {}) {
	return compact(RS256_HEADER, claims(claimOverrides), rs256());
}

function check(body: string | Buffer, options: Parameters<typeof verifyWixWebhook>[2] = {}) {
	return verifyWixWebhook(body, wix.publicKeyPem, { appId: APP_ID, now: NOW, ...options });
}

function rejection(body: string | Buffer, options: Parameters<typeof verifyWixWebhook>[2] = {}) {
	let caught: unknown = new Error('the body was accepted');
	try {
		check(body, options);
	} catch (error) {
		caught = error;
	}
	if (caught instanceof WebhookVerificationError) return caught.reason;
	throw caught;
}

describe('verifyWixWebhook', () => {
	it('accepts a token signed the way Wix signs webhooks and unpacks the nested JSON strings', () => {
		const verified = check(validToken());
		expect(verified.eventType).toBe('wix.pro_gallery.gallery_v2_gallery_item_created');
		expect(verified.instanceId).toBe(INSTANCE_ID);
		expect(verified.event).toEqual(itemEvent);
		expect(verified.identity).toEqual({ identityType: 'WIX_USER', wixUserId: 'user-1' });
		expect(verified.accountInfo).toEqual({ accountId: 'account-1', siteId: 'site-1' });
		expect(verified.header.kid).toBe('key-1');
	});

	it('accepts a Buffer body, surrounding whitespace and tokens without iss, aud or exp', () => {
		expect(check(Buffer.from(`${validToken()}\n`)).event.id).toBe('event-1');
		const bare = compact(RS256_HEADER, { data: envelope() }, rs256());
		expect(check(bare).event.id).toBe('event-1');
		expect(check(validToken({ aud: ['other-app', APP_ID] })).event.id).toBe('event-1');
	});

	describe('refuses forged and unsigned bodies', () => {
		const cases: Array<[string, () => string, WebhookVerificationFailure]> = [
			['an empty body', () => '', 'malformed'],
			['plain JSON instead of a token', () => envelope(), 'malformed'],
			['a token without signature', () => compact(RS256_HEADER, claims(), null), 'malformed'],
			['alg none', () => compact({ alg: 'none', typ: 'JWT' }, claims(), null), 'unsupported_alg'],
			[
				'alg none with a signature segment',
				() => compact({ alg: 'none' }, claims(), rs256()),
				'unsupported_alg',
			],
			['alg in lower case', () => compact({ alg: 'rs256' }, claims(), rs256()), 'unsupported_alg'],
			['no alg at all', () => compact({ typ: 'JWT' }, claims(), rs256()), 'unsupported_alg'],
			[
				'HS256 with the public key PEM as the HMAC secret',
				() =>
					compact({ alg: 'HS256', typ: 'JWT' }, claims(), (data) =>
						createHmac('sha256', wix.publicKeyPem).update(data).digest(),
					),
				'unsupported_alg',
			],
			[
				'RS256 in the header but an HMAC with the public key as signature',
				() =>
					compact(RS256_HEADER, claims(), (data) =>
						createHmac('sha256', wix.publicKeyPem).update(data).digest(),
					),
				'bad_signature',
			],
			[
				'another RSA key',
				() => compact(RS256_HEADER, claims(), rs256(stranger.privateKey)),
				'bad_signature',
			],
			[
				'RS512 with the right key',
				() => compact({ alg: 'RS512' }, claims(), (data) => sign('sha512', data, wix.privateKey)),
				'unsupported_alg',
			],
			[
				'PS256 with the right key',
				() =>
					compact({ alg: 'PS256' }, claims(), (data) =>
						sign('sha256', data, {
							key: wix.privateKey,
							padding: constants.RSA_PKCS1_PSS_PADDING,
							saltLength: 32,
						}),
					),
				'unsupported_alg',
			],
			[
				'a PSS signature under an RS256 header',
				() =>
					compact(RS256_HEADER, claims(), (data) =>
						sign('sha256', data, {
							key: wix.privateKey,
							padding: constants.RSA_PKCS1_PSS_PADDING,
							saltLength: 32,
						}),
					),
				'bad_signature',
			],
			[
				'a signature by a shorter RSA key',
				() => compact(RS256_HEADER, claims(), rs256(rsaKeys(1024).privateKey)),
				'bad_signature',
			],
			[
				'a tampered payload',
				() => {
					const [head, , signature] = validToken().split('.');
					const forged = b64(JSON.stringify(claims({ aud: APP_ID, iat: NOW_SECONDS - 4 })));
					return `${head}.${forged}.${signature}`;
				},
				'bad_signature',
			],
			[
				'a payload from another valid token',
				() => {
					const [head, , signature] = validToken().split('.');
					const [, otherPayload] = validToken({ exp: NOW_SECONDS + 7200 }).split('.');
					return `${head}.${otherPayload}.${signature}`;
				},
				'bad_signature',
			],
			[
				'a tampered header',
				() => {
					const [, payload, signature] = validToken().split('.');
					return `${b64(JSON.stringify({ ...RS256_HEADER, kid: 'other' }))}.${payload}.${signature}`;
				},
				'bad_signature',
			],
			[
				'a flipped signature bit',
				() => {
					const [head, payload, signature] = validToken().split('.');
					const bytes = Buffer.from(signature, 'base64url');
					bytes[10] ^= 1;
					return `${head}.${payload}.${b64(bytes)}`;
				},
				'bad_signature',
			],
		];
		it.each(cases)('%s', (_name, makeBody, reason) => {
			expect(rejection(makeBody())).toBe(reason);
		});
	});

	describe('refuses malformed tokens', () => {
		const [head, payload, signature] = validToken().split('.');
		const cases: Array<[string, string, WebhookVerificationFailure]> = [
			['two parts', `${head}.${payload}`, 'malformed'],
			['four parts', `${head}.${payload}.${signature}.${signature}`, 'malformed'],
			['an empty header', `.${payload}.${signature}`, 'malformed'],
			['standard base64 characters', `${head}.${payload}+/.${signature}`, 'malformed'],
			['non-base64 characters', `${head}.${payload}.${signature.slice(0, -2)}*!`, 'malformed'],
			[
				'an impossible base64 length',
				`${head}.${payload}.${signature}${'A'.repeat((5 - (signature.length % 4)) % 4)}`,
				'malformed',
			],
			['a header that is not JSON', `${b64('{alg: RS256')}.${payload}.${signature}`, 'malformed'],
			['a header that is a JSON array', `${b64('["RS256"]')}.${payload}.${signature}`, 'malformed'],
			[
				'a signed payload that is not JSON',
				compact(RS256_HEADER, 'data=hello', rs256()),
				'malformed',
			],
			[
				'a signed payload that is a JSON string',
				compact(RS256_HEADER, JSON.stringify('hello'), rs256()),
				'malformed',
			],
			[
				'critical header extensions',
				compact({ ...RS256_HEADER, crit: ['b64'], b64: false }, claims(), rs256()),
				'malformed',
			],
			['an exp that is not a number', validToken({ exp: String(NOW_SECONDS + 60) }), 'malformed'],
			['an nbf that is not a number', validToken({ nbf: 'soon' }), 'malformed'],
		];
		it.each(cases)('%s', (_name, body, reason) => {
			expect(rejection(body)).toBe(reason);
		});
	});

	describe('checks time, issuer and audience', () => {
		it('refuses an expired token, allowing a small clock difference', () => {
			expect(rejection(validToken({ exp: NOW_SECONDS - 120 }))).toBe('expired');
			expect(check(validToken({ exp: NOW_SECONDS - 30 })).event.id).toBe('event-1');
			expect(rejection(validToken({ exp: NOW_SECONDS - 30 }), { clockToleranceSeconds: 0 })).toBe(
				'expired',
			);
		});

		it('refuses a token that is not valid yet', () => {
			expect(rejection(validToken({ nbf: NOW_SECONDS + 600 }))).toBe('not_yet_valid');
			expect(check(validToken({ nbf: NOW_SECONDS + 30 })).event.id).toBe('event-1');
		});

		it('refuses another issuer and another audience', () => {
			expect(rejection(validToken({ iss: 'evil.example' }))).toBe('wrong_issuer');
			expect(rejection(validToken({ iss: 'WIX.COM' }))).toBe('wrong_issuer');
			expect(rejection(validToken({ aud: 'another-app' }))).toBe('wrong_audience');
			expect(rejection(validToken({ aud: ['another-app'] }))).toBe('wrong_audience');
		});
	});

	it('refuses an oversized body before looking at it', () => {
		const huge = `${validToken()}${' '.repeat(1024 * 1024)}`;
		expect(rejection(huge)).toBe('body_too_large');
		expect(rejection(Buffer.alloc(1024 * 1024 + 1, 'a'))).toBe('body_too_large');
		expect(rejection(validToken(), { maxBodyBytes: 100 })).toBe('body_too_large');
	});

	describe('refuses a validly signed token whose nested JSON is wrong', () => {
		const cases: Array<[string, Record<string, unknown>]> = [
			['no data claim', { data: undefined }],
			['a data claim that is not JSON', { data: '{"eventType":' }],
			['a data claim that is a JSON array', { data: '[1,2]' }],
			['a data claim that is a number', { data: 42 }],
			['no eventType', { data: envelope({ eventType: undefined }) }],
			['an instanceId that is not a string', { data: envelope({ instanceId: 7 }) }],
			['an event that is not JSON', { data: envelope({ data: 'id=event-1' }) }],
			['an event that is a JSON string', { data: envelope({ data: JSON.stringify('event') }) }],
			['no event at all', { data: envelope({ data: undefined }) }],
			['an event without id', { data: envelope({}, { ...itemEvent, id: undefined }) }],
			['an event without entityId', { data: envelope({}, { ...itemEvent, entityId: undefined }) }],
			[
				'an event with a bad eventTime',
				{ data: envelope({}, { ...itemEvent, eventTime: 'yesterday' }) },
			],
			['an identity that is not JSON', { data: envelope({ identity: '{identityType' }) }],
		];
		it.each(cases)('%s', (_name, overrides) => {
			expect(rejection(validToken(overrides))).toBe('bad_payload');
		});

		it('accepts the documented variant with data as an object and no identity', () => {
			const event = { ...itemEvent, id: 'event-2' };
			const token = validToken({
				data: { eventType: 'wix.pro_gallery.gallery_v2_gallery_item_created', data: event },
			});
			const verified = check(token);
			expect(verified.event.id).toBe('event-2');
			expect(verified.identity).toBeNull();
			expect(verified.instanceId).toBeNull();
		});
	});

	describe('the public key', () => {
		it('is refused as a set-up error when missing or not RSA', () => {
			expect(() => verifyWixWebhook(validToken(), '', { now: NOW })).toThrow(WebhookKeyError);
			expect(() => verifyWixWebhook(validToken(), 'not a key', { now: NOW })).toThrow(
				WebhookKeyError,
			);
			const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
				.publicKey.export({ type: 'spki', format: 'pem' })
				.toString();
			expect(() => verifyWixWebhook(validToken(), ec, { now: NOW })).toThrow(/RSA/);
		});

		it('may be pasted without its BEGIN/END lines or with literal \\n', () => {
			const bodyOnly = wix.publicKeyPem
				.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '')
				.replace(/\s+/g, '');
			expect(normalisePublicKeyPem(bodyOnly)).toBe(wix.publicKeyPem.trim());
			expect(verifyWixWebhook(validToken(), bodyOnly, { now: NOW }).event.id).toBe('event-1');
			const escaped = wix.publicKeyPem.replace(/\n/g, '\\n');
			expect(verifyWixWebhook(validToken(), escaped, { now: NOW }).event.id).toBe('event-1');
		});
	});
});

describe('galleryEventName and flattenGalleryEvent', () => {
	function verifiedFor(eventType: string, event: Record<string, unknown>) {
		return check(validToken({ data: envelope({ eventType }, event) }));
	}

	it('flattens an item creation into one item', () => {
		const verified = check(validToken());
		expect(galleryEventName(verified)).toBe('galleryItemCreated');
		const item = flattenGalleryEvent(verified, 'galleryItemCreated');
		expect(item).toMatchObject({
			event: 'galleryItemCreated',
			eventType: 'wix.pro_gallery.gallery_v2_gallery_item_created',
			eventId: 'event-1',
			eventTime: '2026-03-01T11:59:59.123456Z',
			instanceId: INSTANCE_ID,
			galleryId: 'gallery-1',
			itemId: 'item-1',
			item: itemEvent.actionEvent.body.item,
			mediaUrl: 'https://static.wixstatic.com/media/file-1.jpg',
			sortOrder: 2.5,
			type: 'IMAGE',
			title: 'Sunset',
			originatedFrom: null,
			identity: { identityType: 'WIX_USER', wixUserId: 'user-1' },
			stale: false,
		});
		expect(item.raw).toMatchObject({ event: itemEvent, accountInfo: { siteId: 'site-1' } });
	});

	it('takes the updated item from updatedItem and a video URL from its largest resolution', () => {
		const event = {
			...itemEvent,
			slug: 'gallery_item_updated',
			actionEvent: {
				body: {
					updatedItem: {
						id: 'item-2',
						type: 'VIDEO',
						video: {
							videoInfo: {
								resolutions: [
									{ url: 'https://video/small.mp4', width: 320 },
									{ url: 'https://video/large.mp4', width: 1280 },
								],
							},
						},
					},
				},
			},
		};
		const verified = verifiedFor('wix.pro_gallery.gallery_v2_gallery_item_updated', event);
		const item = flattenGalleryEvent(verified, galleryEventName(verified)!);
		expect(item).toMatchObject({
			event: 'galleryItemUpdated',
			itemId: 'item-2',
			type: 'VIDEO',
			mediaUrl: 'https://video/large.mp4',
		});
	});

	it('takes a deleted item id from the body, never from entityId, and keeps originatedFrom', () => {
		const event = {
			...itemEvent,
			slug: 'gallery_item_deleted',
			originatedFrom: 'Gallery Deleted',
			actionEvent: { body: { itemId: 'item-3' } },
		};
		const verified = verifiedFor('wix.pro_gallery.gallery_v2_gallery_item_deleted', event);
		expect(flattenGalleryEvent(verified, galleryEventName(verified)!)).toMatchObject({
			event: 'galleryItemDeleted',
			galleryId: 'gallery-1',
			itemId: 'item-3',
			item: null,
			mediaUrl: null,
			originatedFrom: 'Gallery Deleted',
		});
	});

	it('flattens gallery events with the gallery and no item', () => {
		const gallery = { id: 'gallery-1', name: 'Summer', totalItems: 3 };
		const updated = verifiedFor('wix.pro_gallery.gallery_v2_updated', {
			...itemEvent,
			slug: 'updated',
			actionEvent: undefined,
			updatedEvent: { currentEntity: gallery },
		});
		expect(flattenGalleryEvent(updated, galleryEventName(updated)!)).toMatchObject({
			event: 'galleryUpdated',
			galleryId: 'gallery-1',
			itemId: null,
			gallery,
			galleryName: 'Summer',
		});
	});

	it.each([
		['wix.pro_gallery.gallery_v2_created', 'created', 'galleryCreated'],
		['wix.pro_gallery.v2.gallery_created', 'created', 'galleryCreated'],
		['wix.pro_gallery.v2.gallery_updated', 'updated', 'galleryUpdated'],
		['wix.pro_gallery.gallery_v2_deleted', 'deleted', 'galleryDeleted'],
		[
			'wix.pro_gallery.v2.gallery_gallery_item_created',
			'gallery_item_created',
			'galleryItemCreated',
		],
		[
			'wix.pro_gallery.v2.gallery_gallery_item_updated',
			'gallery_item_updated',
			'galleryItemUpdated',
		],
		[
			'wix.pro_gallery.v2.gallery_gallery_item_deleted',
			'gallery_item_deleted',
			'galleryItemDeleted',
		],
		[
			'wix.pro_gallery.gallery_v2_gallery_item_deleted',
			'gallery_item_deleted',
			'galleryItemDeleted',
		],
	])('names %s (2023 and current spellings)', (eventType, slug, expected) => {
		expect(galleryEventName(verifiedFor(eventType, { ...itemEvent, slug }))).toBe(expected);
	});

	it('falls back to FQDN and slug when the event type is unfamiliar, and ignores other products', () => {
		const bySlug = verifiedFor('com.wix.something.new', {
			...itemEvent,
			entityFqdn: 'wix.pro_gallery.v2.gallery',
			slug: 'gallery_item_updated',
		});
		expect(galleryEventName(bySlug)).toBe('galleryItemUpdated');
		const mediaEvent = verifiedFor('wix.media.site_media.v1.file_descriptor_file_ready', {
			...itemEvent,
			entityFqdn: 'wix.media.site_media.v1.file_descriptor',
			slug: 'file_ready',
		});
		expect(galleryEventName(mediaEvent)).toBeUndefined();
		const storesCreated = verifiedFor('wix.stores.v1.product_created', {
			...itemEvent,
			entityFqdn: 'wix.stores.v1.product',
			slug: 'created',
		});
		expect(galleryEventName(storesCreated)).toBeUndefined();
	});

	it.each([
		['wix.pro_gallery.gallery_v2_gallery_item_comment_created', 'gallery_item_comment_created'],
		['wix.pro_gallery.gallery_v2_gallery_item_like_deleted', 'gallery_item_like_deleted'],
		['wix.pro_gallery.v2.gallery_item_like_created', 'item_like_created'],
		['wix.pro_gallery.gallery_v2_created_extra', 'created_extra'],
		['WIX.PRO_GALLERY.GALLERY_V2_CREATED', 'CREATED'],
		['wix.pro_gallery.gallery_v2_constructor', 'constructor'],
	])('does not read %s as a gallery event (names match exactly)', (eventType, slug) => {
		expect(galleryEventName(verifiedFor(eventType, { ...itemEvent, slug }))).toBeUndefined();
	});
});
