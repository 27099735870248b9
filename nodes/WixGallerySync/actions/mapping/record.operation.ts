import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { linkKey, newLink, publicLink, sameFields } from '../../helpers/mappingStore';
import type { SyncLink, SyncSide } from '../../helpers/mappingStore';
import type { MappingStores } from '../../helpers/stores';
import {
	mappingProperties,
	openMapping,
	readId,
	readMappingName,
	readSide,
	readSyncedFields,
	sideProperty,
	syncedFieldsProperty,
} from './common';

const properties: INodeProperties[] = [
	...mappingProperties,
	{
		displayName: 'Wix Item ID',
		name: 'wixItemId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. a045b201-ee7d-447c-b0c3-746cba83253c',
		description: 'The Pro Gallery item',
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. med_4f2a9c1e',
		description: 'The ID of the same item on the other platform',
	},
	syncedFieldsProperty,
	sideProperty({
		displayName: 'Change Came From',
		name: 'changeFrom',
		description:
			'The side whose change was just copied to the other side. For a first share of a Wix gallery, Wix.',
	}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Gallery ID',
				name: 'galleryId',
				type: 'string',
				default: '',
				description:
					'The Pro Gallery the item is in. Reconcile uses it when one mapping spans several galleries.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mapping'], operation: ['record'] } },
	properties,
);

/** Which stored copy a link is: the store's row reference where it has one, else its key. */
function refOf(link: SyncLink): string {
	return JSON.stringify([link.key, link.storeRef ?? null]);
}

/** Record after the write succeeded, with the fields as written: they are what the write's echo will carry. */
export function prefetchIds(
	this: IExecuteFunctions,
	itemIndex: number,
): Array<{ side: SyncSide; id: string }> {
	return [
		{ side: 'wix', id: readId(this, 'wixItemId', 'Wix Item ID', itemIndex) },
		{ side: 'external', id: readId(this, 'externalId', 'External ID', itemIndex) },
	];
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	_item: unknown,
	stores: MappingStores,
): Promise<INodeExecutionData[]> {
	const mappingName = readMappingName(this, itemIndex);
	const wixItemId = readId(this, 'wixItemId', 'Wix Item ID', itemIndex);
	const externalId = readId(this, 'externalId', 'External ID', itemIndex);
	const fields = readSyncedFields(this, itemIndex);
	const changeFrom = readSide(this, 'changeFrom', itemIndex) as SyncSide;
	const options = this.getNodeParameter('options', itemIndex, {}) as { galleryId?: string };

	const mapping = await openMapping(this, stores, itemIndex);
	const byWix = await mapping.find('wix', wixItemId);
	const byExternal = await mapping.find('external', externalId);
	const existing: SyncLink = byWix ?? byExternal ?? newLink({ key: linkKey('wix', wixItemId) });
	// Each ID may be linked to one item only. Other links carrying either ID (an old link of the external item, or
	// a second link left by two executions creating at once, e.g. a share flow and a sync) are replaced by this one.
	const others = [
		...(await mapping.findAll('wix', wixItemId)),
		...(await mapping.findAll('external', externalId)),
	].filter((other) => refOf(other) !== refOf(existing));
	const replaced = new Set<string>();
	for (const other of others) {
		if (replaced.has(refOf(other))) continue;
		replaced.add(refOf(other));
		await mapping.put({ ...other, removed: true, pending: null });
	}
	// A pending write is done once its fields are recorded; a newer one, still in flight, must keep matching echoes.
	const pendingDone =
		!existing.pending ||
		existing.pending.action !== 'update' ||
		sameFields(existing.pending.fields, fields);
	const link = await mapping.put({
		...existing,
		wixItemId,
		externalId,
		galleryId: options.galleryId?.trim() || existing.galleryId,
		fields: { ...existing.fields, ...fields },
		lastChangeFrom: changeFrom,
		pending: pendingDone ? null : existing.pending,
		removed: false,
	});
	return [{ json: publicLink(link, mappingName) as IDataObject }];
}
