import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	idOn,
	linkKey,
	newLink,
	otherSide,
	publicLink,
	sameFields,
} from '../../helpers/mappingStore';
import type { SyncAction, SyncLink, SyncSide } from '../../helpers/mappingStore';
import type { MappingStores } from '../../helpers/stores';
import type { OperationItem } from '../../../shared/operations';
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

export const outputs = ['Create', 'Update', 'Delete', 'Echoes'];
const CREATE = 0;
const UPDATE = 1;
const DELETE = 2;
const ECHO = 3;
/** A failed item is set aside with the echoes: it must never reach an output that acts, such as Create. */
export const errorOutput = ECHO;
const OUTPUT_OF: Record<SyncAction, number> = { create: CREATE, update: UPDATE, delete: DELETE };

const properties: INodeProperties[] = [
	...mappingProperties,
	sideProperty({
		displayName: 'Change Comes From',
		name: 'source',
		description: 'Where the incoming change happened',
	}),
	{
		displayName: 'Item ID',
		name: 'itemId',
		type: 'string',
		default: '={{ $json.itemId }}',
		required: true,
		description:
			"The changed item's ID on the side it comes from. The default reads the Wix Gallery Trigger's itemId field.",
	},
	{
		displayName: 'Change Type',
		name: 'changeType',
		type: 'string',
		default: '={{ $json.event }}',
		required: true,
		description:
			'Whether the item was created, updated or deleted. Any text containing "created", "updated" or "deleted" works, e.g. galleryItemUpdated or media.deleted.',
	},
	syncedFieldsProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Echo Window (Minutes)',
				name: 'echoWindowMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 10,
				description:
					'How long a write announced by this node (a change passed on but not yet recorded) can still be recognised in an echo. Recorded links match echoes for ever.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mapping'], operation: ['filterEchoes'] } },
	properties,
);

function actionOf(context: IExecuteFunctions, raw: unknown, itemIndex: number): SyncAction {
	const text = String(raw ?? '').toLowerCase();
	if (text.includes('delete')) return 'delete';
	if (text.includes('creat')) return 'create';
	if (text.includes('updat')) return 'update';
	throw new NodeOperationError(context.getNode(), `"Change Type" is not understood: "${text}"`, {
		itemIndex,
		description: 'It must contain "created", "updated" or "deleted"',
	});
}

function isGalleryEvent(rawType: unknown): boolean {
	return /^gallery(created|updated|deleted)$/i.test(String(rawType ?? ''));
}

/** The item's own ID, read ahead so that one request brings the links of a whole batch. */
export function prefetchIds(
	this: IExecuteFunctions,
	itemIndex: number,
): Array<{ side: SyncSide; id: string }> {
	if (isGalleryEvent(this.getNodeParameter('changeType', itemIndex))) return [];
	return [
		{ side: readSide(this, 'source', itemIndex), id: readId(this, 'itemId', 'Item ID', itemIndex) },
	];
}

/**
 * Decides from content, not time, whether a change is the echo of the sync's own write: the change's synced fields
 * equal the link's last synced snapshot, or the fields of a write this node announced when it passed the opposite
 * change on (before that write was made). Announcing the write here, before the workflow writes, is what makes an
 * echo that overtakes the writing execution recognisable.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	item: INodeExecutionData,
	stores: MappingStores,
): Promise<OperationItem[]> {
	const mappingName = readMappingName(this, itemIndex);
	const source = readSide(this, 'source', itemIndex);
	const target = otherSide(source);
	const rawType = this.getNodeParameter('changeType', itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		echoWindowMinutes?: number;
	};
	const windowMs = (options.echoWindowMinutes ?? 10) * 60_000;
	const now = Date.now();

	const route = (output: number, sync: IDataObject): OperationItem[] => [
		{ output, json: { ...item.json, sync: { mapping: mappingName, source, ...sync } } },
	];
	let id: string | null = null;
	const ids = (link: SyncLink | undefined) => ({
		wixItemId: link?.wixItemId ?? (source === 'wix' ? id : null),
		externalId: link?.externalId ?? (source === 'external' ? id : null),
	});
	const echo = (reason: string, link?: SyncLink) =>
		route(ECHO, {
			echo: true,
			reason,
			...ids(link),
			link: link ? publicLink(link, mappingName) : null,
		});

	// Gallery-level events carry no item; the trigger's `stale` flag marks an update older than one already seen.
	if (isGalleryEvent(rawType)) {
		return echo('notAnItemEvent');
	}
	id = readId(this, 'itemId', 'Item ID', itemIndex);
	if (item.json.stale === true) return echo('stale');

	const action = actionOf(this, rawType, itemIndex);
	const fields = action === 'delete' ? {} : readSyncedFields(this, itemIndex);
	const mapping = await openMapping(this, stores, itemIndex);
	const link = await mapping.find(source, id);
	const freshPending =
		link?.pending && now - link.pending.at <= windowMs && link.pending.towards === source
			? link.pending
			: null;
	// A change already passed on and still being written: Wix and most platforms deliver some events twice.
	const alreadyPassed =
		link?.pending &&
		now - link.pending.at <= windowMs &&
		link.pending.towards === target &&
		link.pending.action === action &&
		sameFields(fields, link.pending.fields);
	// Marks this item's own announcement, so that the item, run again in the same execution (after a conflict or
	// a lost answer), passes on what it announced instead of taking it for a duplicate delivery.
	const token = `${stores.runId}:${itemIndex}`;
	const pass = async (output: number, passed: SyncLink, passedAction: SyncAction) => {
		const saved = await mapping.put({
			...passed,
			pending: { towards: target, action: passedAction, fields, at: now, by: token },
		});
		return route(output, {
			echo: false,
			action: passedAction,
			...ids(saved),
			fields,
			link: publicLink(saved, mappingName),
		});
	};

	const own = link?.pending?.by === token ? link.pending : null;
	if (link && own) {
		return await pass(OUTPUT_OF[own.action], link, own.action);
	}

	if (action === 'delete') {
		if (!link) {
			return echo((await mapping.findRemoved(source, id)) ? 'alreadyRemoved' : 'unmapped');
		}
		if (freshPending?.action === 'delete') return echo('matchesPendingDelete', link);
		if (alreadyPassed) return echo('duplicate', link);
		if (!idOn(link, target)) return echo('notSyncedYet', link);
		return await pass(DELETE, link, 'delete');
	}

	if (link) {
		if (sameFields(fields, link.fields) && idOn(link, target)) {
			return echo('matchesSnapshot', link);
		}
		if (
			freshPending &&
			freshPending.action !== 'delete' &&
			sameFields(fields, freshPending.fields)
		) {
			return echo('matchesPendingWrite', link);
		}
		if (alreadyPassed) return echo('duplicate', link);
		if (!idOn(link, target)) {
			// A create announced longer ago than the echo window never got its other side: create it now.
			const createLapsed =
				!link.pending ||
				(link.pending.towards === target &&
					link.pending.action === 'create' &&
					now - link.pending.at > windowMs);
			if (createLapsed) return await pass(CREATE, link, 'create');
			// The item is still being created on the other side; its link will carry the fields sent then.
			return echo('notSyncedYet', link);
		}
		return await pass(UPDATE, link, 'update');
	}

	const announced = await mapping.findPendingCreate(source, fields, now, windowMs);
	if (announced) {
		// The sync is creating this very item: link the new ID now, so later events for it are recognised.
		const claimed = await mapping.put(
			source === 'wix' ? { ...announced, wixItemId: id } : { ...announced, externalId: id },
		);
		return echo('matchesPendingCreate', claimed);
	}
	const removed = action === 'update' ? await mapping.findRemoved(source, id) : undefined;
	if (removed) return echo('alreadyRemoved', removed);
	const fresh = newLink({
		key: linkKey(source, id),
		...(source === 'wix' ? { wixItemId: id } : { externalId: id }),
		galleryId: typeof item.json.galleryId === 'string' ? item.json.galleryId : null,
	});
	return await pass(CREATE, fresh, 'create');
}
