import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { QueryRequest, SharedGalleryItemType } from '../../shared/wix/sharedGallery/types';
import { parseIdList } from '../../shared/idList';
import { limitProperties, readLimit } from '../../shared/parameters';
import { memberFilterOption, readMemberFilter } from './members.description';

const MEMBER_IDS_HINT = 'Comma-separated member IDs, or an expression that returns an array';

/**
 * The Filters collection. Version 1 takes member IDs as text; version 2 picks members by name from the site's
 * members (or by ID), and reads version 1's text too (readMemberFilter), so that both run whatever they hold.
 */
function filtersProperty(version: 1 | 2): INodeProperties {
	const memberFilter = (
		name: 'createdBy' | 'likedBy' | 'taggedBy',
		label: string,
		description: string,
	): INodeProperties =>
		version === 1
			? {
					displayName: `${label} (Member IDs)`,
					name,
					type: 'string',
					default: '',
					...(name === 'createdBy' ? { placeholder: 'e.g. a11ce000-…, b1a00000-…' } : {}),
					description: `${description}. ${MEMBER_IDS_HINT}.`,
				}
			: memberFilterOption(
					label,
					name,
					`${description}. Pick members by name, or give member IDs (an expression may give several).`,
				);
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'All filters given must match',
		displayOptions:
			version === 1
				? { show: { '@version': [1] } }
				: { show: { '@version': [{ _cnd: { gte: 2 } }] } },
		options: [
			{
				displayName: 'Album Names or IDs',
				name: 'albumIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getAlbums' },
				default: [],
				description:
					'Only items directly inside these albums. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			memberFilter('createdBy', 'Created By', 'Only items uploaded by one of these members'),
			{
				displayName: 'Item IDs',
				name: 'itemIds',
				type: 'string',
				default: '',
				description:
					'Only these items: comma-separated, or an expression that returns an array. Wix ignores the sort for an ID lookup and returns the items in the order given.',
			},
			{
				displayName: 'Item Types',
				name: 'itemTypes',
				type: 'multiOptions',
				options: [
					{ name: 'Album', value: 'ALBUM' },
					{ name: 'Visual Media (Photo, Video, GIF)', value: 'VISUAL_MEDIA' },
				],
				default: [],
				description: 'Only items of these types; none selected means both',
			},
			memberFilter('likedBy', 'Liked By', 'Only media liked by one of these members'),
			memberFilter(
				'taggedBy',
				'Tagged Members',
				'Only media in which one of these members is tagged',
			),
		],
	};
}

/** The filters, sort and limit of a Shared Gallery query: the Query operation's, and Download's "Query" mode's. */
export function queryProperties(): INodeProperties[] {
	return [
		...limitProperties,
		filtersProperty(1),
		filtersProperty(2),
		{
			displayName: 'Sort By',
			name: 'sortField',
			type: 'options',
			options: [
				{ name: 'Album Tag Count', value: 'ALBUM_INFO_TAG_COUNT' },
				{ name: 'Comment Count', value: 'COMMENT_COUNT' },
				{ name: 'Created Date', value: 'CREATED_DATE' },
				{ name: 'Like Count', value: 'LIKE_COUNT' },
				{ name: 'Member Tag Count', value: 'MEMBER_TAG_COUNT' },
				{ name: 'Name', value: 'NAME' },
				{ name: 'Order Number', value: 'ORDER_NUMBERS' },
				{ name: 'View Count', value: 'VIEW_COUNT' },
			],
			default: 'CREATED_DATE',
			description: 'The field Wix sorts the items by',
		},
		{
			displayName: 'Sort Order',
			name: 'sortOrder',
			type: 'options',
			options: [
				{ name: 'Ascending', value: 'ASC' },
				{ name: 'Descending', value: 'DESC' },
			],
			default: 'DESC',
		},
	];
}

interface FilterParameters {
	albumIds?: string[] | string;
	createdBy?: unknown;
	itemIds?: unknown;
	itemTypes?: SharedGalleryItemType[] | string;
	likedBy?: unknown;
	taggedBy?: unknown;
}

/** The query the parameters describe, and how many results are wanted (undefined = all). */
export function readQueryParameters(
	this: IExecuteFunctions,
	itemIndex: number,
): { request: QueryRequest; max: number | undefined } {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as FilterParameters;
	const max = readLimit.call(this, itemIndex);
	const request: QueryRequest = {
		filter: {
			createdBy: readMemberFilter(filters.createdBy, 'Created By'),
			likedBy: readMemberFilter(filters.likedBy, 'Liked By'),
			taggedBy: readMemberFilter(filters.taggedBy, 'Tagged Members'),
			itemIds: parseIdList(filters.itemIds),
			itemTypes: parseIdList(filters.itemTypes) as SharedGalleryItemType[],
			albumIds: parseIdList(filters.albumIds),
		},
		sort: {
			field: this.getNodeParameter('sortField', itemIndex, 'CREATED_DATE') as string,
			order: this.getNodeParameter('sortOrder', itemIndex, 'DESC') as 'ASC' | 'DESC',
		},
	};
	return { request, max };
}
