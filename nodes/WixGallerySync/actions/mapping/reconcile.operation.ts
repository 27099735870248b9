import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { galleryRLC } from '../../../shared/wix/proGallery/galleryLocator';
import { getGalleryWithAllItems } from '../../../shared/wix/proGallery/api';
import { simplifyItem } from '../../../shared/wix/proGallery/output';
import { fieldDifferences, linkKey, newLink, publicLink } from '../../helpers/mappingStore';
import type { MappingStores } from '../../helpers/stores';
import type { OperationItem } from '../../../shared/operations';
import { mappingProperties, openMapping, readMappingName } from './common';
import { GALLERY_ID_PARAMETER, requiredGuidParameter } from '../../../shared/idList';

export const outputs = ['Unmapped', 'Orphaned', 'Changed'];
const UNMAPPED = 0;
const ORPHANED = 1;
const CHANGED = 2;

const properties: INodeProperties[] = [
	...mappingProperties,
	{ ...galleryRLC, description: 'The Pro Gallery to compare with the mapping' },
	{
		displayName: 'Compared Fields',
		name: 'comparedFields',
		type: 'string',
		default: 'title',
		placeholder: 'e.g. title, description, tags',
		description:
			"Comma-separated synced field names, compared with the Pro Gallery item's fields of the same name (title, description, tags, sortOrder, mediaId, mediaUrl, link, type)",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Relink From Tag Prefix',
				name: 'linkTagPrefix',
				type: 'string',
				default: '',
				placeholder: 'e.g. ext:',
				description:
					'When an unmapped item has a tag starting with this text, the rest of the tag is taken as its external ID and the link is recorded again (status "relinked"). Lets a sync that tags the items it creates rebuild lost links.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mapping'], operation: ['reconcile'] } },
	properties,
);

/** Catches what events missed: run it on a schedule. It changes the mapping only to relink tagged items. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	_item: unknown,
	stores: MappingStores,
): Promise<OperationItem[]> {
	const mappingName = readMappingName(this, itemIndex);
	const galleryId = requiredGuidParameter.call(this, GALLERY_ID_PARAMETER, itemIndex);
	const compared = String(this.getNodeParameter('comparedFields', itemIndex, ''))
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	const options = this.getNodeParameter('options', itemIndex, {}) as { linkTagPrefix?: string };
	const tagPrefix = options.linkTagPrefix ?? '';

	const gallery = await getGalleryWithAllItems.call(this, galleryId, itemIndex);
	const items = (gallery.items ?? []).map((item) => simplifyItem(item, galleryId));
	const mapping = await openMapping(this, stores, itemIndex);
	const links = (await mapping.links()).filter(
		(link) => link.wixItemId && (!link.galleryId || link.galleryId === galleryId),
	);
	const linkByWixId = new Map(links.map((link) => [link.wixItemId as string, link]));
	const currentFields = (item: IDataObject) =>
		Object.fromEntries(compared.map((name) => [name, item[name] ?? null])) as IDataObject;

	const routed: OperationItem[] = [];
	for (const item of items) {
		const wixItemId = String(item.id);
		const link = linkByWixId.get(wixItemId);
		if (!link) {
			const tag = tagPrefix
				? (item.tags as string[]).find((value) => value.startsWith(tagPrefix))
				: undefined;
			const externalId = tag?.slice(tagPrefix.length).trim();
			if (externalId && !(await mapping.find('external', externalId))) {
				const relinked = await mapping.put(
					newLink({
						key: linkKey('wix', wixItemId),
						wixItemId,
						externalId,
						galleryId,
						fields: currentFields(item),
					}),
				);
				routed.push({
					output: UNMAPPED,
					json: { ...item, sync: { status: 'relinked', link: publicLink(relinked, mappingName) } },
				});
			} else {
				routed.push({ output: UNMAPPED, json: { ...item, sync: { status: 'unmapped' } } });
			}
			continue;
		}
		const snapshotFields = compared.filter((name) => name in link.fields);
		const differences = fieldDifferences(
			Object.fromEntries(snapshotFields.map((name) => [name, item[name] ?? null])),
			link.fields,
		);
		if (Object.keys(differences).length > 0) {
			routed.push({
				output: CHANGED,
				json: {
					...item,
					sync: { status: 'changed', differences, link: publicLink(link, mappingName) },
				},
			});
		}
	}
	const present = new Set(items.map((item) => String(item.id)));
	for (const link of links) {
		if (!present.has(link.wixItemId as string)) {
			routed.push({
				output: ORPHANED,
				json: { ...publicLink(link, mappingName), sync: { status: 'orphaned' } },
			});
		}
	}
	return routed;
}
