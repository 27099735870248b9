import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { isWixGuid } from '../../shared/idList';
import type { WixContext } from '../../shared/transport';
import { wixApiRequest } from '../../shared/transport';

/**
 * The Wix Members API, read-only (docs/wix-api.md §10): searching members by name for the member pickers, and looking
 * up the names of members the Shared Gallery did not name. Only this node uses it.
 */
const QUERY_PATH = '/members/v1/members/query';

/** Members per page of the pickers' list; Wix answers at most 100 per query. */
export const MEMBERS_SEARCH_PAGE_SIZE = 50;

/** Ids per name lookup: Query Members answers at most 100 members (docs/wix-api.md §10.2). */
export const MEMBER_LOOKUP_CHUNK = 100;

/** `PUBLIC`, `PRIVATE`, or `UNKNOWN` when Wix did not say (e.g. the PUBLIC fieldset's statuses). */
export type ProfileStatus = 'PUBLIC' | 'PRIVATE' | 'UNKNOWN';

export interface MemberName {
	id: string;
	/** The profile's nickname (the name Wix shows other members), or the contact's name; null when Wix has none. */
	name: string | null;
	profileStatus: ProfileStatus;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function profileStatusOf(value: unknown): ProfileStatus {
	return value === 'PUBLIC' || value === 'PRIVATE' ? value : 'UNKNOWN';
}

/** A member as Query Members answers it, camelCase or the 2019 examples' snake_case. */
export function normaliseMember(raw: IDataObject): MemberName {
	const profile = isObject(raw.profile) ? raw.profile : {};
	const contact = isObject(raw.contact) ? raw.contact : {};
	const fullName = [
		text(contact.firstName ?? contact.first_name),
		text(contact.lastName ?? contact.last_name),
	]
		.filter(Boolean)
		.join(' ');
	return {
		id: text(raw.id ?? raw._id) ?? '',
		name: text(profile.nickname) ?? (fullName || null),
		profileStatus: profileStatusOf(raw.privacyStatus ?? raw.privacy_status),
	};
}

interface QueryMembersAnswer {
	members?: IDataObject[];
	metadata?: { count?: number; offset?: number; total?: number; tooManyToCount?: boolean };
}

/**
 * Wix needs the Read Members permission for these calls; a refusal is explained in the error so that the user knows
 * what to grant (the Shared Gallery calls themselves may be allowed).
 */
export function isRefusal(error: unknown): boolean {
	return error instanceof NodeApiError && ['401', '403'].includes(String(error.httpCode));
}

function explainRefusal(error: unknown): unknown {
	if (isRefusal(error) && error instanceof NodeApiError) {
		error.description = [
			error.description,
			'Member names and the member lists come from the Wix Members API, which needs the "Read Members" permission: give it to the API key (in the Wix API Keys Manager) or add it to the Wix app\'s permissions.',
		]
			.filter(Boolean)
			.join(' ');
	}
	return error;
}

async function queryMembers(
	this: WixContext,
	body: IDataObject,
	itemIndex: number,
): Promise<{ members: MemberName[]; answer: QueryMembersAnswer }> {
	try {
		const answer = (await wixApiRequest.call(this, {
			method: 'POST',
			path: QUERY_PATH,
			body,
			// A query changes nothing, so it may be re-sent after a 5xx or a dropped connection.
			idempotent: true,
			itemIndex,
		})) as QueryMembersAnswer;
		const members = (Array.isArray(answer.members) ? answer.members : [])
			.filter(isObject)
			.map(normaliseMember);
		return { members, answer };
	} catch (error) {
		throw explainRefusal(error);
	}
}

/**
 * One page of members whose name matches `search` (all members without one), by name. A pasted member ID finds
 * that member. The privacy status needs the EXTENDED fieldset: PUBLIC answers it as UNKNOWN.
 */
export async function searchMembersPage(
	this: WixContext,
	search: string | undefined,
	offset: number,
): Promise<{ members: MemberName[]; nextOffset?: number }> {
	const term = search?.trim().slice(0, 100);
	const query: IDataObject = {
		paging: { limit: MEMBERS_SEARCH_PAGE_SIZE, offset },
		sorting: [{ fieldName: 'profile.nickname', order: 'ASC' }],
	};
	const body: IDataObject = { query, fieldsets: ['EXTENDED'] };
	if (term && isWixGuid(term)) query.filter = { id: { $eq: term.toLowerCase() } };
	else if (term) body.search = { expression: term, fields: ['profile.nickname'] };
	const { members, answer } = await queryMembers.call(this, body, 0);
	const total = answer.metadata?.total;
	const more =
		typeof total === 'number' && !answer.metadata?.tooManyToCount
			? offset + members.length < total
			: members.length === MEMBERS_SEARCH_PAGE_SIZE;
	return { members, nextOffset: more && members.length > 0 ? offset + members.length : undefined };
}

/** The members with these ids, looked up 100 per call; ids Wix does not know are missing from the answer. */
export async function lookUpMembers(
	this: WixContext,
	ids: string[],
	itemIndex: number,
): Promise<MemberName[]> {
	const found: MemberName[] = [];
	for (let start = 0; start < ids.length; start += MEMBER_LOOKUP_CHUNK) {
		const chunk = ids.slice(start, start + MEMBER_LOOKUP_CHUNK);
		const { members } = await queryMembers.call(
			this,
			{
				query: { filter: { id: { $in: chunk } }, paging: { limit: chunk.length, offset: 0 } },
				fieldsets: ['EXTENDED'],
			},
			itemIndex,
		);
		found.push(...members);
	}
	return found;
}
