import { invalidArgument } from '../../errors';
import { MEMBER_FIELDSETS } from './types';
import type { MemberFieldset, SiteMember } from './types';

/**
 * Query Members (docs/wix-api.md §10.2): Wix's API query language on the member fields Wix lists as filterable,
 * plain-text search, sorting and offset paging. Where Wix is silent the sandbox picks (docs/wix-api.md §10.5):
 * `$startsWith` and search ignore case, search matches anywhere in a field, the default sort is `createdDate` DESC.
 */

export const MEMBERS_QUERY_DEFAULT_LIMIT = 100;
export const MEMBERS_QUERY_MAX_LIMIT = 100;

const FIELD_VALUES: Record<string, (member: SiteMember) => unknown> = {
	id: (member) => member.id,
	_id: (member) => member.id,
	loginEmail: (member) => member.loginEmail,
	contactId: (member) => member.contactId,
	'contact.firstName': (member) => member.firstName,
	'contact.lastName': (member) => member.lastName,
	'profile.nickname': (member) => member.nickname,
	'profile.slug': (member) => member.slug,
	privacyStatus: (member) => member.privacyStatus,
	status: (member) => member.status,
	createdDate: (member) => member.createdDate,
	updatedDate: (member) => member.updatedDate,
};
const SORT_FIELDS = [
	'profile.nickname',
	'contact.firstName',
	'contact.lastName',
	'createdDate',
	'updatedDate',
	'lastLoginDate',
];
const SEARCH_FIELDS = [
	'loginEmail',
	'contact.firstName',
	'contact.lastName',
	'profile.title',
	'profile.nickname',
	'profile.slug',
];

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function comparable(value: unknown): string {
	return typeof value === 'string' ? value.toLowerCase() : String(value);
}

function matchesCondition(actual: unknown, condition: unknown, field: string): boolean {
	if (!isRecord(condition)) return actual === condition;
	return Object.entries(condition).every(([operator, operand]) => {
		switch (operator) {
			case '$eq':
				return actual === operand;
			case '$ne':
				return actual !== operand;
			case '$in':
			case '$hasSome':
				if (!Array.isArray(operand))
					throw invalidArgument(`filter.${field}`, `${operator} takes an array`);
				return operand.includes(actual);
			case '$nin':
				if (!Array.isArray(operand))
					throw invalidArgument(`filter.${field}`, '$nin takes an array');
				return !operand.includes(actual);
			case '$startsWith':
				if (typeof operand !== 'string')
					throw invalidArgument(`filter.${field}`, '$startsWith takes a string');
				return comparable(actual).startsWith(operand.toLowerCase());
			case '$exists':
				return (actual !== undefined && actual !== '') === Boolean(operand);
			default:
				throw invalidArgument(`filter.${field}`, `unsupported operator ${operator}`);
		}
	});
}

/** Whether a member passes a query-language filter (`{field: value | {$op: value}}`, `$and`, `$or`, `$not`). */
export function matchesFilter(member: SiteMember, filter: unknown): boolean {
	if (filter === undefined || filter === null) return true;
	if (!isRecord(filter)) throw invalidArgument('query.filter', 'must be an object');
	return Object.entries(filter).every(([key, condition]) => {
		if (key === '$and' || key === '$or') {
			if (!Array.isArray(condition)) throw invalidArgument(`filter.${key}`, 'takes an array');
			return key === '$and'
				? condition.every((part) => matchesFilter(member, part))
				: condition.some((part) => matchesFilter(member, part));
		}
		if (key === '$not') return !matchesFilter(member, condition);
		const read = FIELD_VALUES[key];
		if (!read) throw invalidArgument(`filter.${key}`, 'is not a filterable field', 'ENUM');
		return matchesCondition(read(member), condition, key);
	});
}

/** The widest of the fieldsets asked for: `fieldsets` (array), or the 2019 schema's single `fieldSet`. */
export function parseFieldsets(value: unknown, legacy?: unknown): MemberFieldset {
	const asked = [
		...(Array.isArray(value) ? value : value === undefined ? [] : [value]),
		...(legacy === undefined ? [] : [legacy]),
	];
	for (const fieldset of asked) {
		if (!MEMBER_FIELDSETS.includes(fieldset as MemberFieldset)) {
			throw invalidArgument('fieldsets', `must be ${MEMBER_FIELDSETS.join(', ')}`, 'ENUM');
		}
	}
	if (asked.includes('FULL')) return 'FULL';
	if (asked.includes('EXTENDED')) return 'EXTENDED';
	return 'PUBLIC';
}

export interface MemberPage {
	offset: number;
	limit: number;
}

export function parsePaging(paging: unknown): MemberPage {
	if (paging !== undefined && !isRecord(paging))
		throw invalidArgument('paging', 'must be an object');
	const limit = paging?.limit ?? MEMBERS_QUERY_DEFAULT_LIMIT;
	const offset = paging?.offset ?? 0;
	if (
		typeof limit !== 'number' ||
		!Number.isInteger(limit) ||
		limit < 0 ||
		limit > MEMBERS_QUERY_MAX_LIMIT
	) {
		throw invalidArgument(
			'paging.limit',
			`must be an integer from 0 to ${MEMBERS_QUERY_MAX_LIMIT}`,
			'MAX',
		);
	}
	if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
		throw invalidArgument('paging.offset', 'must be a non-negative integer');
	}
	return { offset, limit };
}

export interface MemberSort {
	fieldName: string;
	order: 'ASC' | 'DESC';
}

export function parseSorting(sorting: unknown): MemberSort[] {
	if (sorting === undefined || sorting === null)
		return [{ fieldName: 'createdDate', order: 'DESC' }];
	const list = Array.isArray(sorting) ? sorting : [sorting];
	return list.map((entry, index) => {
		if (!isRecord(entry) || !SORT_FIELDS.includes(entry.fieldName as string)) {
			throw invalidArgument(
				`sorting[${index}].fieldName`,
				`must be one of ${SORT_FIELDS.join(', ')}`,
				'ENUM',
			);
		}
		const order = entry.order ?? 'ASC';
		if (order !== 'ASC' && order !== 'DESC') {
			throw invalidArgument(`sorting[${index}].order`, 'must be ASC or DESC', 'ENUM');
		}
		return { fieldName: entry.fieldName as string, order };
	});
}

export function sortMembers(members: SiteMember[], sorting: MemberSort[]): SiteMember[] {
	return [...members].sort((a, b) => {
		for (const { fieldName, order } of sorting) {
			const read = FIELD_VALUES[fieldName] ?? (() => '');
			const left = read(a);
			const right = read(b);
			const compared =
				typeof left === 'number' && typeof right === 'number'
					? left - right
					: comparable(left).localeCompare(comparable(right));
			if (compared !== 0) return order === 'DESC' ? -compared : compared;
		}
		return a.id.localeCompare(b.id);
	});
}

/** Plain-text search: `expression` (1–100 characters) in any of `fields` (default `profile.nickname`). */
export function searchPredicate(search: unknown): (member: SiteMember) => boolean {
	if (search === undefined || search === null) return () => true;
	if (!isRecord(search)) throw invalidArgument('search', 'must be an object');
	const expression = search.expression;
	if (typeof expression !== 'string' || expression.length < 1 || expression.length > 100) {
		throw invalidArgument('search.expression', 'must be 1 to 100 characters');
	}
	const fields = search.fields ?? ['profile.nickname'];
	if (!Array.isArray(fields) || fields.some((field) => !SEARCH_FIELDS.includes(field as string))) {
		throw invalidArgument('search.fields', `must be some of ${SEARCH_FIELDS.join(', ')}`, 'ENUM');
	}
	const needle = expression.trim().toLowerCase();
	return (member) =>
		fields.some((field) => {
			const value = field === 'profile.title' ? '' : FIELD_VALUES[field as string](member);
			return comparable(value).includes(needle);
		});
}
