import type { JsonObject } from './types';

export const clone = <T>(value: T): T =>
	value === undefined ? value : JSON.parse(JSON.stringify(value));

export function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge for partial updates: objects merge key by key, anything else (arrays included) replaces. */
export function merge(target: JsonObject, patch: JsonObject): JsonObject {
	const result: JsonObject = { ...target };
	for (const [key, value] of Object.entries(patch)) {
		result[key] =
			isObject(value) && isObject(result[key]) ? merge(result[key], value) : clone(value);
	}
	return result;
}
