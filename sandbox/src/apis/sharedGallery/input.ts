import { invalidArgument } from '../../errors';

/** Reading Shared Gallery request bodies, which may come in camelCase or snake_case (docs/wix-api.md §2.2). */

export function pick(object: Record<string, unknown>, camel: string, snake: string): unknown {
	return object[camel] !== undefined ? object[camel] : object[snake];
}

export function stringList(value: unknown, field: string): string[] | undefined {
	if (value === undefined || value === null) return undefined;
	if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
		throw invalidArgument(field, 'must be an array of strings');
	}
	return value as string[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
