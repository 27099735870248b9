import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { MappingStore, MappingStoreKind, SyncSide } from '../../helpers/mappingStore';
import type { MappingStores } from '../../helpers/stores';

export const mappingStoreProperty: INodeProperties = {
	displayName: 'Mapping Store',
	name: 'mappingStore',
	type: 'options',
	options: [
		{
			name: 'This Workflow (Static Data)',
			value: 'staticData',
			description:
				'No set-up. Only this workflow sees the links, in one n8n process: not for queue mode, and not saved after manual executions.',
		},
		{
			name: 'N8n Data Table',
			value: 'dataTable',
			description:
				'A data table of this n8n, created on first use, shared by every workflow and every n8n process (queue mode included). Needs an n8n API key.',
		},
	],
	default: 'staticData',
	description:
		'Where the links are kept. Use the same store and Mapping Name on every Wix Gallery Sync node of one sync, in every workflow of it.',
};

export const mappingNameProperty: INodeProperties = {
	displayName: 'Mapping Name',
	name: 'mappingName',
	type: 'string',
	default: 'default',
	required: true,
	description:
		'Which mapping to use. Every Wix Gallery Sync node with the same store and name shares the same links, so give each synced pair of galleries its own name. With the data table store, the table is called "Wix Gallery Sync: " followed by this name.',
};

/** The node's store and name parameters, first on every operation. */
export const mappingProperties: INodeProperties[] = [mappingStoreProperty, mappingNameProperty];

export const syncedFieldsProperty: INodeProperties = {
	displayName: 'Synced Fields',
	name: 'syncedFields',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Field',
	default: { field: [{ fieldName: 'title', value: '={{ $json.title }}' }] },
	description:
		"The content both sides share, under one name per field, with the value this item carries. Name the fields as the Pro Gallery node names an item's fields (title, description, tags, sortOrder, mediaId) so that Reconcile can compare them.",
	options: [
		{
			displayName: 'Field',
			name: 'field',
			values: [
				{
					displayName: 'Name',
					name: 'fieldName',
					type: 'string',
					default: '',
					placeholder: 'e.g. title',
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
					placeholder: 'e.g. {{ $json.caption }}',
				},
			],
		},
	],
};

export function sideProperty(
	overrides: Partial<INodeProperties> & Pick<INodeProperties, 'name' | 'displayName'>,
): INodeProperties {
	return {
		type: 'options',
		options: [
			{ name: 'Wix', value: 'wix', description: 'A Wix Pro Gallery item' },
			{
				name: 'External Platform',
				value: 'external',
				description: 'The item on the other platform',
			},
		],
		default: 'wix',
		...overrides,
	} as INodeProperties;
}

export function readMappingName(context: IExecuteFunctions, itemIndex: number): string {
	const name = String(context.getNodeParameter('mappingName', itemIndex, '')).trim();
	if (!name) {
		throw new NodeOperationError(context.getNode(), '"Mapping Name" is empty', { itemIndex });
	}
	return name;
}

export async function openMapping(
	context: IExecuteFunctions,
	stores: MappingStores,
	itemIndex: number,
): Promise<MappingStore> {
	const kind = context.getNodeParameter(
		'mappingStore',
		itemIndex,
		'staticData',
	) as MappingStoreKind;
	if (kind !== 'staticData' && kind !== 'dataTable') {
		throw new NodeOperationError(
			context.getNode(),
			`"Mapping Store" is not understood: "${String(kind)}"`,
			{
				itemIndex,
				description: 'Choose "This Workflow (Static Data)" or "n8n Data Table"',
			},
		);
	}
	return await stores.open(kind, readMappingName(context, itemIndex), itemIndex);
}

export function readSyncedFields(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const collection = context.getNodeParameter('syncedFields', itemIndex, {}) as {
		field?: Array<{ fieldName?: string; value?: unknown }>;
	};
	const fields: IDataObject = {};
	for (const entry of collection.field ?? []) {
		const name = String(entry.fieldName ?? '').trim();
		if (!name) {
			throw new NodeOperationError(context.getNode(), 'A synced field has no name', {
				itemIndex,
				description: 'Give every entry under "Synced Fields" a name, or remove it',
			});
		}
		fields[name] = (entry.value ?? null) as IDataObject[string];
	}
	return fields;
}

export function readId(
	context: IExecuteFunctions,
	parameterName: string,
	displayName: string,
	itemIndex: number,
): string {
	const value = context.getNodeParameter(parameterName, itemIndex, '');
	const id = value === null || value === undefined ? '' : String(value).trim();
	if (!id) {
		throw new NodeOperationError(context.getNode(), `"${displayName}" is empty`, {
			itemIndex,
			description: 'Check the expression: it must give the item ID for every input item',
		});
	}
	return id;
}

export function readSide(context: IExecuteFunctions, parameterName: string, itemIndex: number) {
	return context.getNodeParameter(parameterName, itemIndex) as SyncSide;
}

/**
 * "Find By" and "Item ID": a link named by the ID of one of its sides, as Look Up and Remove Link take it;
 * readLinkById reads them.
 */
export function linkByIdProperties({
	findBy,
	placeholder,
}: {
	findBy: string;
	placeholder: string;
}): INodeProperties[] {
	return [
		sideProperty({ displayName: 'Find By', name: 'by', description: findBy }),
		{
			displayName: 'Item ID',
			name: 'id',
			type: 'string',
			default: '',
			required: true,
			placeholder,
			description: 'The Wix item ID or external ID, as chosen in "Find By"',
		},
	];
}

/** The side and ID that linkByIdProperties ask for. */
export function readLinkById(
	context: IExecuteFunctions,
	itemIndex: number,
): { side: SyncSide; id: string } {
	return {
		side: readSide(context, 'by', itemIndex),
		id: readId(context, 'id', 'Item ID', itemIndex),
	};
}

/** The link's ID, read ahead so that one request brings the links of a whole batch. */
export function prefetchLinkById(
	this: IExecuteFunctions,
	itemIndex: number,
): Array<{ side: SyncSide; id: string }> {
	return [readLinkById(this, itemIndex)];
}
