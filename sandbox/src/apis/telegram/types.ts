import type { SandboxModule } from '../../context';
import { WixHttpError } from '../../errors';
import type { ReceivedFile } from '../../lib/receivedFiles';

/**
 * The Telegram Bot API as n8n's Telegram node uses it (https://core.telegram.org/bots/api): `getMe` (the credential
 * test), `sendMessage`, `sendPhoto` and `sendVideo`, each with a file uploaded as multipart/form-data, given by
 * HTTP URL, or by the `file_id` of a file sent before. Every answer is Telegram's envelope: `{ ok: true, result }` or
 * `{ ok: false, error_code, description }`.
 */

/** Telegram's documented limits (Bot API, "Sending files"). */
export const TELEGRAM_LIMITS = {
	/** Any multipart upload (the Bot API server answers 413 above it). */
	uploadBytes: 50 * 1024 * 1024,
	/** A photo upload. */
	photoBytes: 10 * 1024 * 1024,
	/** A photo Telegram downloads from an HTTP URL. */
	photoUrlBytes: 5 * 1024 * 1024,
	/** Any other file Telegram downloads from an HTTP URL. */
	otherUrlBytes: 20 * 1024 * 1024,
	/** A photo's width + height. */
	photoSideSum: 10000,
	/** A photo's longer side over its shorter side. */
	photoAspectRatio: 20,
	captionChars: 1024,
	messageChars: 4096,
} as const;

export type TelegramMethod = 'sendMessage' | 'sendPhoto' | 'sendVideo';

/** How the file of a sendPhoto / sendVideo was given. */
export type TelegramFileSource = 'upload' | 'url' | 'file_id';

export interface TelegramChat {
	id: number;
	type: 'private' | 'channel';
	/** A channel's public name, usable as `chat_id` (`@name`). */
	username?: string;
	title?: string;
	first_name?: string;
}

export interface StoredTelegramFile extends ReceivedFile {
	fileId: string;
	fileUniqueId: string;
}

/** One message the emulated Telegram accepted, in the order received. */
export interface TelegramMessageRecord {
	/** Order among everything this platform received, accepted or refused. */
	seq: number;
	messageId: number;
	method: TelegramMethod;
	chatId: number;
	text: string | null;
	caption: string | null;
	/** `photo`, `video` or, for a sendVideo whose bytes are no video, `document` (as Telegram does). */
	attachment: 'photo' | 'video' | 'document' | null;
	file: (StoredTelegramFile & { source: TelegramFileSource; url: string | null }) | null;
	/** The public host the request was sent to through the platform proxy; null when it came to the sandbox directly. */
	via: string | null;
	receivedAt: string;
}

/** A request the emulated Telegram refused, with the answer it gave. */
export interface TelegramRejection {
	seq: number;
	method: string;
	status: number;
	description: string;
	via: string | null;
	receivedAt: string;
}

export interface TelegramModule extends SandboxModule {
	name: 'telegram';
	/** The bot token the emulation accepts (`<bot id>:<secret>`). */
	readonly token: string;
}

export function telegramError(status: number, description: string): WixHttpError {
	return new WixHttpError(status, description, undefined, {
		ok: false,
		error_code: status,
		description,
	});
}

export const badRequest = (what: string) => telegramError(400, `Bad Request: ${what}`);
