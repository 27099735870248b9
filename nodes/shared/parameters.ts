import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Checks for values that reach the node through expressions: the editor enforces a number field's type and bounds
 * only for typed-in values, so "abc" or -5 from an expression would otherwise reach Wix or silently shape the output.
 */

function shown(value: unknown): string {
	const text = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
	return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** A number parameter's value, or an error naming the parameter. Numeric strings from expressions are accepted. */
export function checkNumber(
	value: unknown,
	parameter: string,
	{ min, max, integer = false }: { min?: number; max?: number; integer?: boolean } = {},
): number {
	const number =
		typeof value === 'number'
			? value
			: typeof value === 'string' && value.trim() !== ''
				? Number(value)
				: Number.NaN;
	const kind = integer ? 'a whole number' : 'a number';
	if (!Number.isFinite(number) || (integer && !Number.isInteger(number))) {
		throw new Error(`"${parameter}" must be ${kind}, not ${shown(value)}`);
	}
	if (min !== undefined && number < min) {
		throw new Error(`"${parameter}" must be at least ${min}, not ${shown(value)}`);
	}
	if (max !== undefined && number > max) {
		throw new Error(`"${parameter}" must be at most ${max}, not ${shown(value)}`);
	}
	return number;
}

/** A text parameter's value: a string, or a number or boolean written as text; anything else is refused. */
export function checkText(value: unknown, parameter: string): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new Error(`"${parameter}" must be text, not ${shown(value)}`);
}

/** The Return All and Limit parameters of a Get Many, which readLimit reads. */
export const limitProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** How many results a Get Many should return: undefined with Return All, else a Limit of at least 1. */
export function readLimit(this: IExecuteFunctions, itemIndex: number): number | undefined {
	if (this.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;
	try {
		return checkNumber(this.getNodeParameter('limit', itemIndex), 'Limit', {
			min: 1,
			integer: true,
		});
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			itemIndex,
			description: 'Set Limit to how many results to return, or turn on Return All.',
		});
	}
}
