import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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

/** The IDs in an "Item IDs" parameter; none at all is a parameter error that says what the IDs are for. */
export function requiredItemIds(
	this: IExecuteFunctions,
	itemIndex: number,
	what: string,
): string[] {
	const itemIds = parseIdList(this.getNodeParameter('itemIds', itemIndex));
	if (!itemIds.length) {
		throw new NodeOperationError(this.getNode(), 'No item IDs given in "Item IDs"', {
			itemIndex,
			description: `Give the IDs of ${what}, comma-separated or as an array.`,
		});
	}
	return itemIds;
}
