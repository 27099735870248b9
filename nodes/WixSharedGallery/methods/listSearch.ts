import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { searchMembersPage } from '../helpers/members';

/**
 * The member pickers of the Created By, Liked By and Tagged Members filters: the site's members by name, searched
 * by Wix (the Members API's plain-text search on the nickname), 50 a page. Private profiles are listed too, marked,
 * since filtering by a member reveals nothing the site owner cannot already see.
 */
export async function searchMembers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken) || 0;
	const { members, nextOffset } = await searchMembersPage.call(this, filter, offset);
	return {
		results: members.map((member) => ({
			name: `${member.name ?? 'Unnamed member'}${member.profileStatus === 'PRIVATE' ? ' (private profile)' : ''}`,
			value: member.id,
		})),
		paginationToken: nextOffset === undefined ? undefined : String(nextOffset),
	};
}
