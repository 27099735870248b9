import { randomBytes } from 'node:crypto';

import type { ReceivedFile } from '../../lib/receivedFiles';
import type {
	StoredTelegramFile,
	TelegramChat,
	TelegramMessageRecord,
	TelegramRejection,
} from './types';

/** The bot, its chats, the files it has seen (by `file_id`) and what it received, in order. */

export const TELEGRAM_BOT_ID = 7000000001;
export const TELEGRAM_BOT_USERNAME = 'wix_gallery_sandbox_bot';

/** The chats the bot may post to: a private chat with the site owner and a public channel. */
export const TELEGRAM_CHATS: TelegramChat[] = [
	{ id: 100200300, type: 'private', first_name: 'Site Owner' },
	{ id: -1001234567890, type: 'channel', username: 'wix_gallery_sandbox', title: 'Gallery News' },
];

export class TelegramStore {
	sequence = 0;
	private nextMessageId = 1;
	private files = new Map<string, StoredTelegramFile>();
	messages: TelegramMessageRecord[] = [];
	rejections: TelegramRejection[] = [];

	constructor(private readonly now: () => number) {}

	reset(): void {
		this.sequence = 0;
		this.nextMessageId = 1;
		this.files.clear();
		this.messages = [];
		this.rejections = [];
	}

	/** `chat_id` as Telegram takes it: the numeric ID, or `@username` of a channel. */
	findChat(chatId: string): TelegramChat | undefined {
		if (chatId.startsWith('@')) {
			const name = chatId.slice(1).toLowerCase();
			return TELEGRAM_CHATS.find((chat) => chat.username?.toLowerCase() === name);
		}
		return TELEGRAM_CHATS.find((chat) => String(chat.id) === chatId.trim());
	}

	/** Keeps what a received file was; the same bytes get the same `file_unique_id`, as in Telegram. */
	keepFile(described: ReceivedFile): StoredTelegramFile {
		const stored = {
			...described,
			fileId: `AgAC${randomBytes(24).toString('base64url')}`,
			fileUniqueId: `AQAD${described.sha256.slice(0, 12)}`,
		};
		this.files.set(stored.fileId, stored);
		return stored;
	}

	findFile(fileId: string): StoredTelegramFile | undefined {
		return this.files.get(fileId);
	}

	newMessageId(): number {
		return this.nextMessageId++;
	}

	record(message: Omit<TelegramMessageRecord, 'seq' | 'receivedAt'>): TelegramMessageRecord {
		const recorded = {
			seq: ++this.sequence,
			...message,
			receivedAt: new Date(this.now()).toISOString(),
		};
		this.messages.push(recorded);
		return recorded;
	}

	reject(rejection: Omit<TelegramRejection, 'seq' | 'receivedAt'>): void {
		this.rejections.push({
			seq: ++this.sequence,
			...rejection,
			receivedAt: new Date(this.now()).toISOString(),
		});
	}
}
