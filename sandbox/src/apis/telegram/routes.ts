import type { RouteDefinition, SandboxRequest } from '../../context';
import { proxiedHost } from '../../core/platformProxy';
import { recordingRefusals } from '../../core/routing';
import { describeReceivedFile, fetchMedia } from '../../lib/receivedFiles';
import { readRequestFields, textField } from '../../lib/requestFields';
import type { RequestFields } from '../../lib/requestFields';
import { TELEGRAM_BOT_ID, TELEGRAM_BOT_USERNAME, TELEGRAM_CHATS } from './store';
import type { TelegramStore } from './store';
import { TELEGRAM_LIMITS, badRequest, telegramError } from './types';
import type {
	StoredTelegramFile,
	TelegramChat,
	TelegramFileSource,
	TelegramMessageRecord,
} from './types';

/**
 * Routes of the Bot API under `/telegram` (a credential's Base URL `<sandbox>/telegram`, or `https://api.telegram.org`
 * through the platform proxy): `/telegram/bot<token>/<method>`, GET or POST, parameters in the query string or a
 * JSON, urlencoded or multipart body, like Telegram. Error texts are Telegram's where it documents or is known to
 * send them; `file is too big` for an oversized photo upload is the emulation's choice (Telegram documents the
 * 10 MB limit, not its answer).
 */

export const TELEGRAM_PREFIX = '/telegram';

const BOT_USER = {
	id: TELEGRAM_BOT_ID,
	is_bot: true,
	first_name: 'Wix Gallery Sandbox',
	username: TELEGRAM_BOT_USERNAME,
};

type Received = { file: StoredTelegramFile; source: TelegramFileSource; url: string | null };

function requireChat(store: TelegramStore, fields: Record<string, unknown>): TelegramChat {
	const chatId = textField(fields, 'chat_id');
	if (chatId === undefined) throw badRequest('chat_id is empty');
	const chat = store.findChat(chatId);
	if (!chat) throw badRequest('chat not found');
	return chat;
}

function checkCaption(fields: Record<string, unknown>): string | null {
	const caption = textField(fields, 'caption') ?? null;
	// Telegram counts UTF-16 code units, as JavaScript's length does.
	if (caption !== null && caption.length > TELEGRAM_LIMITS.captionChars) {
		throw badRequest('message caption is too long');
	}
	return caption;
}

/** The photo or video of a send: an uploaded part (also as `attach://<part>`), an HTTP URL, or a known file_id. */
async function receiveFile(
	store: TelegramStore,
	{ fields, files }: RequestFields,
	field: 'photo' | 'video',
): Promise<Received> {
	const value = textField(fields, field);
	const part = files[field] ?? (value?.startsWith('attach://') ? files[value.slice(9)] : undefined);
	if (part) {
		if (field === 'photo' && part.data.length > TELEGRAM_LIMITS.photoBytes) {
			throw badRequest('file is too big');
		}
		return {
			file: store.keepFile(describeReceivedFile(part.data, part.contentType, part.fileName)),
			source: 'upload',
			url: null,
		};
	}
	if (value === undefined || value.startsWith('attach://')) {
		throw badRequest(`there is no ${field} in the request`);
	}
	if (/^https?:\/\//i.test(value)) {
		const fetched = await fetchMedia(value, {
			maxBytes: field === 'photo' ? TELEGRAM_LIMITS.photoUrlBytes : TELEGRAM_LIMITS.otherUrlBytes,
		});
		if (!fetched.ok) {
			throw badRequest(
				fetched.reason === 'too-large'
					? 'failed to get HTTP URL content'
					: 'wrong file identifier/HTTP URL specified',
			);
		}
		const described = describeReceivedFile(fetched.bytes, fetched.contentType, null);
		if (field === 'photo' && described.kind !== 'image') {
			throw badRequest('wrong type of the web page content');
		}
		return { file: store.keepFile(described), source: 'url', url: value };
	}
	const known = store.findFile(value);
	if (!known) throw badRequest('wrong file identifier/HTTP URL specified');
	if (field === 'photo' && known.kind !== 'image') {
		throw badRequest(
			`can't use file of type ${known.kind === 'video' ? 'Video' : 'Document'} as Photo`,
		);
	}
	return { file: known, source: 'file_id', url: null };
}

function checkPhoto(file: StoredTelegramFile): void {
	if (file.kind !== 'image') throw badRequest('IMAGE_PROCESS_FAILED');
	const { width, height } = file;
	if (
		width &&
		height &&
		(width + height > TELEGRAM_LIMITS.photoSideSum ||
			Math.max(width, height) / Math.min(width, height) > TELEGRAM_LIMITS.photoAspectRatio)
	) {
		throw badRequest('PHOTO_INVALID_DIMENSIONS');
	}
}

/** The Message object Telegram answers a send with. */
function messageJson(record: TelegramMessageRecord, chat: TelegramChat): Record<string, unknown> {
	const message: Record<string, unknown> = {
		message_id: record.messageId,
		from: BOT_USER,
		chat,
		date: Math.floor(Date.parse(record.receivedAt) / 1000),
	};
	if (record.text !== null) message.text = record.text;
	if (record.caption !== null) message.caption = record.caption;
	const file = record.file;
	if (file) {
		const common = {
			file_id: file.fileId,
			file_unique_id: file.fileUniqueId,
			file_size: file.size,
		};
		if (record.attachment === 'photo') {
			message.photo = [{ ...common, width: file.width, height: file.height }];
		} else if (record.attachment === 'video') {
			message.video = {
				...common,
				width: file.width ?? 0,
				height: file.height ?? 0,
				duration: 0,
				mime_type: file.detectedType,
				...(file.fileName ? { file_name: file.fileName } : {}),
			};
		} else {
			message.document = {
				...common,
				mime_type: file.declaredType ?? file.detectedType,
				...(file.fileName ? { file_name: file.fileName } : {}),
			};
		}
	}
	return message;
}

async function send(
	store: TelegramStore,
	method: 'sendMessage' | 'sendPhoto' | 'sendVideo',
	request: RequestFields,
	via: string | null,
): Promise<Record<string, unknown>> {
	const chat = requireChat(store, request.fields);
	let text: string | null = null;
	let caption: string | null = null;
	let received: Received | null = null;
	let attachment: TelegramMessageRecord['attachment'] = null;
	if (method === 'sendMessage') {
		text = textField(request.fields, 'text') ?? null;
		if (text === null || text.trim() === '') throw badRequest('message text is empty');
		if (text.length > TELEGRAM_LIMITS.messageChars) throw badRequest('message is too long');
	} else {
		caption = checkCaption(request.fields);
		const field = method === 'sendPhoto' ? 'photo' : 'video';
		received = await receiveFile(store, request, field);
		if (field === 'photo') {
			checkPhoto(received.file);
			attachment = 'photo';
		} else {
			// Telegram sends a "video" whose bytes are no video as a document.
			attachment = received.file.kind === 'video' ? 'video' : 'document';
		}
	}
	const record = store.record({
		messageId: store.newMessageId(),
		method,
		chatId: chat.id,
		text,
		caption,
		attachment,
		file: received ? { ...received.file, source: received.source, url: received.url } : null,
		via,
	});
	return messageJson(record, chat);
}

async function handle(
	store: TelegramStore,
	token: string,
	req: SandboxRequest,
): Promise<Record<string, unknown>> {
	const { bot, method } = req.params;
	if (!bot.startsWith('bot')) throw telegramError(404, 'Not Found');
	if (bot.slice(3) !== token) throw telegramError(401, 'Unauthorized');
	if (req.body.length > TELEGRAM_LIMITS.uploadBytes) {
		throw telegramError(413, 'Request Entity Too Large');
	}
	const request = readRequestFields(req, (message) =>
		badRequest(`can't parse request body: ${message}`),
	);
	const via = proxiedHost(req.raw);
	// Method names are case-insensitive in the Bot API.
	switch (method.toLowerCase()) {
		case 'getme':
			return { ...BOT_USER, can_join_groups: true, can_read_all_group_messages: false };
		case 'sendmessage':
			return await send(store, 'sendMessage', request, via);
		case 'sendphoto':
			return await send(store, 'sendPhoto', request, via);
		case 'sendvideo':
			return await send(store, 'sendVideo', request, via);
		default:
			throw telegramError(404, 'Not Found');
	}
}

export function telegramRoutes(store: TelegramStore, token: string): RouteDefinition[] {
	const handler = recordingRefusals(
		async (req) => ({ body: { ok: true, result: await handle(store, token, req) } }),
		(req, refusal) =>
			store.reject({
				method: req.params.method,
				status: refusal.status,
				description: refusal.message,
				via: proxiedHost(req.raw),
			}),
	);
	const path = `${TELEGRAM_PREFIX}/:bot/:method`;
	return [
		{ method: 'GET', path, handler, auth: 'none' },
		{ method: 'POST', path, handler, auth: 'none' },
	];
}

/** What a test or the demo check reads: where to point the credential, and everything received. */
export function telegramControlRoutes(
	store: TelegramStore,
	token: string,
	baseUrl: () => string,
): RouteDefinition[] {
	return [
		{
			method: 'GET',
			path: '/_sandbox/telegram',
			handler: () => ({
				body: {
					baseUrl: `${baseUrl()}${TELEGRAM_PREFIX}`,
					token,
					bot: BOT_USER,
					chats: TELEGRAM_CHATS,
					limits: TELEGRAM_LIMITS,
					messages: store.messages,
					rejections: store.rejections,
				},
			}),
		},
	];
}
