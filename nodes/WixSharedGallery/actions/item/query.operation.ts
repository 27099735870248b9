import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { queryProperties, readQueryParameters } from '../../descriptions/query.description';
import type { MemberNames } from '../../helpers/memberNames';
import type { SharedGalleryRun } from '../node.type';
import { queryItems } from '../../../shared/wix/sharedGallery/api';
import { simplifyItem } from '../../../shared/wix/sharedGallery/output';
import type { SharedGalleryItem } from '../../../shared/wix/sharedGallery/types';

const properties: INodeProperties[] = [
	...queryProperties(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				// The name is version 1's ("Include Member Profiles"), kept so that its workflows keep the setting.
				displayName: 'Include Member Names',
				name: 'includeProfiles',
				type: 'boolean',
				default: false,
				description:
					"Whether to add the uploader's name (createdByName) and the latest tagged members' names (latestTaggedMembers) to each item, for captions. Names come from the Shared Gallery's member profiles, else from the Wix Members API (needs the Read Members permission).",
			},
			{
				displayName: 'Include Names of Private Profiles',
				name: 'includePrivateNames',
				type: 'boolean',
				default: false,
				description:
					'Whether to output the names of members whose profile is private. Off: their name is null and their profile status PRIVATE, so that a caption does not show a name the member chose to keep private. Only with Include Member Names.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['item'], operation: ['query'] } },
	properties,
);

interface QueryOptions {
	includeProfiles?: boolean;
	includePrivateNames?: boolean;
}

/** The latest tagged members' profiles in an item, under either documented name (docs/wix-api.md §2.3). */
function taggedProfilesOf(item: SharedGalleryItem): IDataObject[] {
	const raw = item.raw.latestTaggedMembers ?? item.raw.latestTaggedSiteMembers;
	return Array.isArray(raw)
		? raw.filter((entry): entry is IDataObject => typeof entry === 'object' && entry !== null)
		: [];
}

/**
 * Names every uploader and tagged member of the items: from the `Profiles` answers, then, for members left without
 * a name, one Members API lookup for all of them (none for members named earlier in the run).
 */
async function addMemberNames(
	context: IExecuteFunctions,
	items: SharedGalleryItem[],
	names: MemberNames,
	includePrivate: boolean,
	itemIndex: number,
): Promise<IDataObject[]> {
	const ids: string[] = [];
	for (const item of items) {
		names.rememberProfile(item.raw.createdBy ?? item.raw.created_by);
		if (item.createdById) ids.push(item.createdById);
		for (const profile of taggedProfilesOf(item)) {
			names.rememberProfile(profile);
			if (typeof profile.id === 'string') ids.push(profile.id);
		}
	}
	await names.resolve(context, ids, includePrivate, itemIndex);
	if (names.takeRefusal()) {
		context.addExecutionHints({
			message:
				'Some member names are missing: the Wix Members API refused to look them up. Give the API key or the Wix app the "Read Members" permission.',
			type: 'warning',
			location: 'outputPane',
		});
	}
	const member = (id: string) => ({
		id,
		name: names.nameOf(id, includePrivate),
		profileStatus: names.profileStatusOf(id),
	});
	return items.map((item) => {
		const json = simplifyItem(item);
		const uploader = item.createdById ? member(item.createdById) : undefined;
		json.createdByName = uploader?.name ?? null;
		json.createdByProfileStatus = uploader?.profileStatus ?? 'UNKNOWN';
		json.latestTaggedMembers = taggedProfilesOf(item)
			.filter((profile) => typeof profile.id === 'string')
			.map((profile) => member(profile.id as string));
		return json;
	});
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	_item: INodeExecutionData,
	run: SharedGalleryRun,
): Promise<INodeExecutionData[]> {
	const { request, max } = readQueryParameters.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as QueryOptions;
	if (!options.includeProfiles) {
		const items = await queryItems.call(this, request, max, itemIndex);
		return items.map((item) => ({ json: simplifyItem(item) }));
	}
	request.fieldset = ['Profiles'];
	const items = await queryItems.call(this, request, max, itemIndex);
	const named = await addMemberNames(
		this,
		items,
		run.memberNames,
		options.includePrivateNames === true,
		itemIndex,
	);
	return named.map((json) => ({ json }));
}
