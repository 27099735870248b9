import { createHash } from 'node:crypto';

import { TELEGRAM_CHATS, pngImage, readSandboxAsset } from '../../sandbox/src';
import type { TelegramMessageRecord, TelegramRejection } from '../../sandbox/src';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';

// The emulated Telegram Bot API: what n8n's Telegram node sends (multipart with a file, or JSON with a URL or
// file_id) is accepted and recorded; what Telegram refuses is refused with Telegram's envelope.

interface TelegramState {
	baseUrl: string;
	token: string;
	messages: TelegramMessageRecord[];
	rejections: TelegramRejection[];
}

let sandbox: TestSandbox;
let api: string;
let token: string;
const [privateChat, channel] = TELEGRAM_CHATS;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function state(): Promise<TelegramState> {
	return (await (await fetch(`${sandbox.baseUrl}/_sandbox/telegram`)).json()) as TelegramState;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
type Answer = { status: number; json: Record<string, any> };

async function call(
	method: string,
	body?: FormData | Record<string, unknown>,
	botToken = token,
): Promise<Answer> {
	const response = await fetch(`${api}/bot${botToken}/${method}`, {
		method: body ? 'POST' : 'GET',
		...(body instanceof FormData
			? { body }
			: body
				? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
				: {}),
	});
	return { status: response.status, json: (await response.json()) as Answer['json'] };
}

function form(
	fields: Record<string, string>,
	file?: { field: string; bytes: Buffer; type: string; name: string },
) {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields)) data.append(name, value);
	if (file) data.append(file.field, new Blob([file.bytes], { type: file.type }), file.name);
	return data;
}

beforeAll(async () => {
	sandbox = await startTestSandbox({ seed: 'empty' });
	({ baseUrl: api, token } = await state());
});

afterAll(async () => {
	await sandbox?.close();
});

beforeEach(async () => {
	await sandbox.control.reset('empty');
});

test('getMe answers the bot (the credential test); a wrong token is 401 Unauthorized, as Telegram answers it', async () => {
	expect(await call('getMe')).toEqual({
		status: 200,
		json: {
			ok: true,
			result: expect.objectContaining({ is_bot: true, username: 'wix_gallery_sandbox_bot' }),
		},
	});
	expect(await call('getMe', undefined, `${token}x`)).toEqual({
		status: 401,
		json: { ok: false, error_code: 401, description: 'Unauthorized' },
	});
	expect((await call('noSuchMethod')).json).toEqual({
		ok: false,
		error_code: 404,
		description: 'Not Found',
	});
});

test('sendPhoto with an uploaded PNG: a photo message, and the file recorded by SHA-256 with its caption', async () => {
	const bytes = pngImage({ width: 300, height: 200, seed: 5 });
	const sent = await call(
		'sendPhoto',
		form(
			{ chat_id: String(privateChat.id), caption: 'Beach at sunset' },
			{ field: 'photo', bytes, type: 'image/png', name: 'beach.png' },
		),
	);
	expect(sent.status).toBe(200);
	expect(sent.json.result).toMatchObject({
		message_id: 1,
		chat: { id: privateChat.id },
		caption: 'Beach at sunset',
		photo: [{ width: 300, height: 200, file_size: bytes.length }],
	});
	const { messages } = await state();
	expect(messages).toEqual([
		expect.objectContaining({
			method: 'sendPhoto',
			chatId: privateChat.id,
			caption: 'Beach at sunset',
			attachment: 'photo',
			via: null,
			file: expect.objectContaining({
				source: 'upload',
				sha256: sha256(bytes),
				size: bytes.length,
				declaredType: 'image/png',
				detectedType: 'image/png',
				fileName: 'beach.png',
			}),
		}),
	]);
});

test('sendVideo with an MP4, then the same photo again by file_id and by URL, to a channel by @name: recorded in order', async () => {
	const video = readSandboxAsset('sample.mp4');
	const photo = readSandboxAsset('sample.jpg');
	const first = await call(
		'sendVideo',
		form(
			{ chat_id: `@${channel.username}` },
			{ field: 'video', bytes: video, type: 'video/mp4', name: 'clip.mp4' },
		),
	);
	expect(first.json.result.video).toMatchObject({
		width: 320,
		height: 180,
		mime_type: 'video/mp4',
		file_name: 'clip.mp4',
	});
	const uploaded = await call(
		'sendPhoto',
		form(
			{ chat_id: String(channel.id) },
			{ field: 'photo', bytes: photo, type: 'image/jpeg', name: 'p.jpg' },
		),
	);
	const fileId = uploaded.json.result.photo[0].file_id as string;
	expect(
		(await call('sendPhoto', { chat_id: channel.id, photo: fileId, caption: 'again' })).status,
	).toBe(200);
	// The sandbox serves its own files; Telegram downloads a photo given by URL.
	const { id } = (await (
		await fetch(`${sandbox.baseUrl}/_sandbox/external/media`, {
			method: 'POST',
			body: JSON.stringify({ base64: photo.toString('base64') }),
		})
	).json()) as { id: string };
	const url = `${sandbox.baseUrl}/external/v1/files/${id}`;
	expect((await call('sendPhoto', { chat_id: channel.id, photo: url })).status).toBe(200);

	const { messages } = await state();
	expect(
		messages.map((message) => [
			message.seq,
			message.method,
			message.file?.source,
			message.file?.sha256,
		]),
	).toEqual([
		[1, 'sendVideo', 'upload', sha256(video)],
		[2, 'sendPhoto', 'upload', sha256(photo)],
		[3, 'sendPhoto', 'file_id', sha256(photo)],
		[4, 'sendPhoto', 'url', sha256(photo)],
	]);
	expect(messages[3].file?.url).toBe(url);
	expect(messages.every((message) => message.chatId === channel.id)).toBe(true);
});

test('sendMessage: the text is recorded; empty text and an unknown chat are refused', async () => {
	expect(
		(await call('sendMessage', { chat_id: privateChat.id, text: 'New photos are up' })).json.result,
	).toMatchObject({
		text: 'New photos are up',
	});
	expect((await call('sendMessage', { chat_id: privateChat.id })).json).toEqual({
		ok: false,
		error_code: 400,
		description: 'Bad Request: message text is empty',
	});
	expect((await call('sendMessage', { chat_id: 42, text: 'hi' })).json.description).toBe(
		'Bad Request: chat not found',
	);
	expect(
		(await call('sendMessage', { chat_id: privateChat.id, text: 'x'.repeat(4097) })).json
			.description,
	).toBe('Bad Request: message is too long');
});

describe('what Telegram refuses', () => {
	const png = pngImage({ width: 64, height: 48, seed: 1 });

	test.each<[string, () => FormData | Record<string, unknown>, string]>([
		[
			'a send without chat_id',
			() => form({}, { field: 'photo', bytes: png, type: 'image/png', name: 'a.png' }),
			'Bad Request: chat_id is empty',
		],
		[
			'a photo that is not an image (text named .png)',
			() =>
				form(
					{ chat_id: String(privateChat.id) },
					{
						field: 'photo',
						bytes: Buffer.from('not a picture'),
						type: 'image/png',
						name: 'fake.png',
					},
				),
			'Bad Request: IMAGE_PROCESS_FAILED',
		],
		[
			'a caption over 1024 characters',
			() =>
				form(
					{ chat_id: String(privateChat.id), caption: 'c'.repeat(1025) },
					{ field: 'photo', bytes: png, type: 'image/png', name: 'a.png' },
				),
			'Bad Request: message caption is too long',
		],
		[
			'a text-only sendPhoto',
			() => ({ chat_id: privateChat.id, caption: 'no photo' }),
			'Bad Request: there is no photo in the request',
		],
		[
			'an unknown file_id',
			() => ({ chat_id: privateChat.id, photo: 'AgACnotafileid' }),
			'Bad Request: wrong file identifier/HTTP URL specified',
		],
		[
			'a photo URL that does not answer',
			() => ({ chat_id: privateChat.id, photo: 'http://127.0.0.1:9/nothing.jpg' }),
			'Bad Request: wrong file identifier/HTTP URL specified',
		],
		[
			'a photo 25 times as wide as high',
			() =>
				form(
					{ chat_id: String(privateChat.id) },
					{
						field: 'photo',
						bytes: pngImage({ width: 1000, height: 40 }),
						type: 'image/png',
						name: 'strip.png',
					},
				),
			'Bad Request: PHOTO_INVALID_DIMENSIONS',
		],
	])('%s', async (_case, body, description) => {
		const answer = await call('sendPhoto', body());
		expect(answer).toEqual({ status: 400, json: { ok: false, error_code: 400, description } });
		const { messages, rejections } = await state();
		expect(messages).toEqual([]);
		expect(rejections).toEqual([
			expect.objectContaining({ method: 'sendPhoto', status: 400, description }),
		]);
	});

	test('a photo over 10 MB', async () => {
		const big = Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024)]);
		const answer = await call(
			'sendPhoto',
			form(
				{ chat_id: String(privateChat.id) },
				{ field: 'photo', bytes: big, type: 'image/png', name: 'big.png' },
			),
		);
		expect(answer.json).toEqual({
			ok: false,
			error_code: 400,
			description: 'Bad Request: file is too big',
		});
	});

	test('an upload over 50 MB is 413, as the Bot API server answers it', async () => {
		const huge = Buffer.concat([readSandboxAsset('sample.mp4'), Buffer.alloc(50 * 1024 * 1024)]);
		const answer = await call(
			'sendVideo',
			form(
				{ chat_id: String(privateChat.id) },
				{ field: 'video', bytes: huge, type: 'video/mp4', name: 'huge.mp4' },
			),
		);
		expect(answer).toEqual({
			status: 413,
			json: { ok: false, error_code: 413, description: 'Request Entity Too Large' },
		});
	});

	test('a sendVideo whose bytes are no video is sent as a document, as Telegram does', async () => {
		const answer = await call(
			'sendVideo',
			form(
				{ chat_id: String(privateChat.id) },
				{ field: 'video', bytes: Buffer.from('plain text'), type: 'video/mp4', name: 'notes.mp4' },
			),
		);
		expect(answer.json.result.video).toBeUndefined();
		expect(answer.json.result.document).toMatchObject({
			file_name: 'notes.mp4',
			mime_type: 'video/mp4',
		});
	});
});
