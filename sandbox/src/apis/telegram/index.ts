import { randomBytes } from 'node:crypto';

import { addRoutes } from '../../core/routing';
import { TELEGRAM_PREFIX, telegramControlRoutes, telegramRoutes } from './routes';
import { TELEGRAM_BOT_ID, TELEGRAM_CHATS, TelegramStore } from './store';
import type { TelegramModule } from './types';

export { TELEGRAM_CHATS } from './store';
export { TELEGRAM_LIMITS } from './types';
export type {
	TelegramChat,
	TelegramFileSource,
	TelegramMessageRecord,
	TelegramModule,
	TelegramRejection,
} from './types';

/**
 * An emulated Telegram Bot API for n8n's own Telegram node (see routes.ts): its credential's Base URL points at
 * `<sandbox>/telegram`, or the platform proxy stands in for api.telegram.org. Records every message and refusal.
 */
export function createTelegramModule(): TelegramModule {
	// One token per sandbox instance (not per reset), so credentials made before a reset stay valid.
	const token = `${TELEGRAM_BOT_ID}:AA${randomBytes(24).toString('base64url')}`;
	let store = new TelegramStore(() => Date.now());
	return {
		name: 'telegram',
		token,
		publicHosts: { 'api.telegram.org': TELEGRAM_PREFIX },
		register(ctx) {
			store = new TelegramStore(() => ctx.now());
			addRoutes(ctx, [
				...telegramRoutes(store, token),
				...telegramControlRoutes(store, token, () => ctx.baseUrl()),
			]);
		},
		reset() {
			store.reset();
		},
		dump: () => ({
			token,
			chats: TELEGRAM_CHATS.map((chat) => chat.id),
			messages: store.messages,
			rejections: store.rejections,
		}),
	};
}
