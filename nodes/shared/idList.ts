/** IDs typed in (separated by commas, semicolons or white space) or given as an array by an expression; no repeats. */
export function parseIdList(value: unknown): string[] {
	const values = Array.isArray(value) ? value : String(value ?? '').split(/[\s,;]+/);
	return [
		...new Set(
			values
				.filter((id) => id !== null && id !== undefined)
				.map((id) => String(id).trim())
				.filter(Boolean),
		),
	];
}
