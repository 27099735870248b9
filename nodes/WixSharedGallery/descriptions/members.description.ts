import type { INodeProperties } from 'n8n-workflow';

import { parseIdList } from '../../shared/idList';

/**
 * The member filters of a Shared Gallery query (Created By, Liked By, Tagged Members) from node version 2: members
 * picked by name from the site's members, or given by ID (an expression may give several IDs at once).
 */

const memberLocator: INodeProperties = {
	displayName: 'Member',
	name: 'member',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description: 'A site member, picked by name or given by member ID',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchMembers', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. a11ce000-5eed-4000-8000-000000000001',
			hint: 'A member ID, or an expression that returns several IDs (comma-separated or an array)',
		},
	],
};

/** A filter option holding any number of members, e.g. `{ members: [{ member: {__rl, mode, value} }] }`. */
export function memberFilterOption(
	displayName: string,
	name: string,
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Member',
		default: {},
		description,
		options: [{ displayName: 'Members', name: 'members', values: [memberLocator] }],
	};
}

/**
 * The member IDs of a member filter, whatever its shape: version 2's picked members (resource locators, each of
 * which may hold several IDs from an expression), or version 1's comma-separated IDs / array from an expression.
 */
export function readMemberFilter(value: unknown, parameter: string): string[] {
	if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
		const entries = (value as { members?: unknown }).members;
		if (entries === undefined) return [];
		if (!Array.isArray(entries)) throw new Error(`"${parameter}" must list members`);
		const ids = entries.flatMap((entry) => {
			const member = (entry as { member?: unknown } | null)?.member;
			const picked =
				typeof member === 'object' && member !== null && !Array.isArray(member)
					? (member as { value?: unknown }).value
					: member;
			return parseIdList(picked, parameter);
		});
		return [...new Set(ids)];
	}
	return parseIdList(value, parameter);
}
