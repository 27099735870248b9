/**
 * Checks on the shape of Wix's answers, so that an answer without the expected field fails with a message that
 * says so, instead of a TypeError ("Cannot read properties of undefined") further on.
 */

function field(response: unknown, name: string): unknown {
	return typeof response === 'object' && response !== null && !Array.isArray(response)
		? (response as Record<string, unknown>)[name]
		: undefined;
}

export class UnexpectedAnswerError extends Error {
	constructor(what: string, detail: string) {
		super(`Wix's answer holds no ${what} (${detail})`);
		this.name = 'UnexpectedAnswerError';
	}
}

/** The object under `name` in Wix's answer. */
export function answerObject<T>(response: unknown, name: string, what: string): T {
	const value = field(response, name);
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new UnexpectedAnswerError(what, `no "${name}" object in it`);
	}
	return value as T;
}

/** The list under the first of `names` present in Wix's answer; none present is an empty list. */
export function answerList<T>(response: unknown, names: string[], what: string): T[] {
	for (const name of names) {
		const value = field(response, name);
		if (value === undefined || value === null) continue;
		if (!Array.isArray(value)) throw new UnexpectedAnswerError(what, `"${name}" is not a list`);
		return value as T[];
	}
	return [];
}

/** An optional number in Wix's answer (totals), ignored unless it is one. */
export function answerNumber(response: unknown, names: string[]): number | undefined {
	for (const name of names) {
		const value = field(response, name);
		if (typeof value === 'number' && Number.isFinite(value)) return value;
	}
	return undefined;
}
