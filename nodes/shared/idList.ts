import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_EXAMPLE = '2b5b0e6c-4b5e-4a43-9d4c-7f0b8e3c1a2d';

/** Wix's IDs for galleries, items, media and members are GUIDs. */
export function isWixGuid(value: string): boolean {
	return GUID.test(value);
}

/** A value as it may be quoted in an error: short, on one line; a string in quotes, anything else as JSON. */
function quote(value: unknown): string {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	const line = text.replace(/\s+/g, ' ');
	const short = line.length > 60 ? `${line.slice(0, 60)}…` : line;
	return typeof value === 'string' ? `"${short}"` : short;
}

/**
 * IDs typed in (separated by commas, semicolons or white space) or given as an array by an expression; no repeats.
 * Anything else (an object, an array holding objects) is refused, naming the parameter, rather than sent to Wix
 * as "[object Object]".
 */
export function parseIdList(value: unknown, parameter = 'IDs'): string[] {
	let values: unknown[];
	if (Array.isArray(value)) values = value;
	else if (value === null || value === undefined) values = [];
	else if (typeof value === 'string' || typeof value === 'number')
		values = String(value).split(/[\s,;]+/);
	else
		throw new Error(
			`"${parameter}" must be IDs separated by commas or an array of IDs, not ${quote(value)}`,
		);
	const ids = values
		.filter((id) => id !== null && id !== undefined)
		.map((id) => {
			if (typeof id !== 'string' && typeof id !== 'number') {
				throw new Error(`"${parameter}" holds ${quote(id)}, which is not an ID`);
			}
			return String(id).trim();
		})
		.filter(Boolean);
	return [...new Set(ids)];
}

function operationError(
	context: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { itemIndex, description });
}

const ITEM_IDS = { displayName: 'Item IDs', name: 'itemIds' };

/**
 * The "Item IDs" parameter that requiredItemIds reads. Its description says which IDs the operation takes, and
 * how it uses them.
 */
export function itemIdsProperty(
	description: string,
	placeholder = 'e.g. 5a11e700-…, 5a11e700-…',
): INodeProperties {
	return { ...ITEM_IDS, type: 'string', required: true, default: '', placeholder, description };
}

/** The IDs in the "Item IDs" parameter; none at all is a parameter error that says what the IDs are for. */
export function requiredItemIds(
	this: IExecuteFunctions,
	itemIndex: number,
	what: string,
	{ guids = false }: { guids?: boolean } = {},
): string[] {
	let itemIds: string[];
	try {
		itemIds = parseIdList(this.getNodeParameter(ITEM_IDS.name, itemIndex), ITEM_IDS.displayName);
	} catch (error) {
		throw operationError(
			this,
			itemIndex,
			(error as Error).message,
			`Give the IDs of ${what}, comma-separated or as an array.`,
		);
	}
	if (!itemIds.length) {
		throw operationError(
			this,
			itemIndex,
			`No item IDs given in "${ITEM_IDS.displayName}"`,
			`Give the IDs of ${what}, comma-separated or as an array.`,
		);
	}
	const invalid = guids ? itemIds.find((id) => !isWixGuid(id)) : undefined;
	if (invalid !== undefined) {
		throw operationError(
			this,
			itemIndex,
			`${quote(invalid)} in "${ITEM_IDS.displayName}" is not a Wix item ID`,
			`Wix item IDs are GUIDs, like ${GUID_EXAMPLE}.`,
		);
	}
	return itemIds;
}

/**
 * A GUID parameter (a resource locator or a plain string), checked when the node runs: the editor's check covers
 * typed-in values only, and an expression can give anything, such as `..` or an empty string, that would change
 * which Wix path the request goes to.
 */
export function requiredGuidParameter(
	this: IExecuteFunctions,
	parameter: { name: string; displayName: string; what: string },
	itemIndex: number,
): string {
	const raw = this.getNodeParameter(parameter.name, itemIndex, undefined, { extractValue: true });
	const value = typeof raw === 'string' ? raw.trim() : raw;
	if (value === '' || value === null || value === undefined) {
		throw operationError(
			this,
			itemIndex,
			`No ${parameter.what} ID given in "${parameter.displayName}"`,
			`Pick the ${parameter.what} from the list, or give its ID (a GUID, like ${GUID_EXAMPLE}).`,
		);
	}
	if (typeof value !== 'string' || !isWixGuid(value)) {
		throw operationError(
			this,
			itemIndex,
			`${quote(value)} in "${parameter.displayName}" is not a Wix ${parameter.what} ID`,
			`Wix ${parameter.what} IDs are GUIDs, like ${GUID_EXAMPLE}. If an expression gives the ID, check what it returns for this item.`,
		);
	}
	return value;
}

export const GALLERY_ID_PARAMETER = { name: 'galleryId', displayName: 'Gallery', what: 'gallery' };
export const ITEM_ID_PARAMETER = { name: 'itemId', displayName: 'Item', what: 'item' };
