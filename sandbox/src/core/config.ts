import { WixHttpError } from '../errors';
import type { SandboxConfig, SeedName } from '../context';

/** Wix's own figures where it has them (docs/wix-api.md §8); `PATCH /_sandbox/config` changes them at run time. */
export const DEFAULT_CONFIG: SandboxConfig = {
	mediaReadyDelayMs: 400,
	mediaPendingReads: 0,
	webhookTimeoutMs: 1250,
	tokenTtlSeconds: 14400,
	downloadUrlTtlSeconds: 900,
	itemOrder: 'asc',
};

/** Checks a `PATCH /_sandbox/config` body key by key; an unknown key or a bad value is a 400. */
export function validateConfigPatch(patch: unknown): Partial<SandboxConfig> {
	if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
		throw new WixHttpError(400, 'config must be an object');
	}
	const result: Partial<SandboxConfig> = {};
	for (const [key, value] of Object.entries(patch)) {
		switch (key) {
			case 'mediaReadyDelayMs':
			case 'webhookTimeoutMs':
			case 'tokenTtlSeconds':
			case 'downloadUrlTtlSeconds':
				if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
					throw new WixHttpError(400, `config.${key} must be a non-negative number`);
				}
				result[key] = value;
				break;
			case 'mediaPendingReads':
				if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
					throw new WixHttpError(400, 'config.mediaPendingReads must be a non-negative integer');
				}
				result.mediaPendingReads = value;
				break;
			case 'itemOrder':
				if (value !== 'asc' && value !== 'desc') {
					throw new WixHttpError(400, 'config.itemOrder must be "asc" or "desc"');
				}
				result.itemOrder = value;
				break;
			default:
				throw new WixHttpError(400, `unknown config key: ${key}`);
		}
	}
	return result;
}

export function parseSeed(value: unknown, fallback: SeedName): SeedName {
	if (value === undefined || value === null) return fallback;
	if (value === 'default' || value === 'empty') return value;
	throw new WixHttpError(400, 'seed must be "default" or "empty"');
}
