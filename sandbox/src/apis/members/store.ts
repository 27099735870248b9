import type { SandboxContext } from '../../context';
import { invalidArgument, notFound } from '../../errors';
import {
	matchesFilter,
	parseFieldsets,
	parsePaging,
	parseSorting,
	searchPredicate,
	sortMembers,
} from './query';
import type { MemberPage } from './query';
import type { MemberFieldset, NewSiteMember, SiteMember } from './types';

type Json = Record<string, unknown>;

/** The site's members and the Members API's reads of them: Query Members, List Members, Get Member. */
export class MembersStore {
	private context: SandboxContext | undefined;
	readonly members = new Map<string, SiteMember>();

	attach(context: SandboxContext): void {
		this.context = context;
	}

	get ctx(): SandboxContext {
		if (!this.context) throw new Error('members used before the sandbox registered it');
		return this.context;
	}

	reset(): void {
		this.members.clear();
	}

	add(input: NewSiteMember): SiteMember {
		if (typeof input.nickname !== 'string' || input.nickname.trim() === '') {
			throw invalidArgument('nickname', 'is required');
		}
		if (input.privacyStatus !== undefined && !['PUBLIC', 'PRIVATE'].includes(input.privacyStatus)) {
			throw invalidArgument('privacyStatus', 'must be PUBLIC or PRIVATE', 'ENUM');
		}
		const [first, ...rest] = input.nickname.split(' ');
		const slug = input.nickname.toLowerCase().replace(/[^a-z0-9]+/g, '-');
		const now = this.ctx.now();
		// Members added later are newer, a minute apart, so that sorting by date is well defined.
		const member: SiteMember = {
			id: input.id ?? this.ctx.newId(),
			contactId: this.ctx.newId(),
			loginEmail: input.loginEmail ?? `${slug}@members.example.com`,
			nickname: input.nickname,
			slug,
			firstName: input.firstName ?? first,
			lastName: input.lastName ?? rest.join(' '),
			privacyStatus: input.privacyStatus ?? 'PUBLIC',
			status: 'APPROVED',
			activityStatus: 'ACTIVE',
			createdDate: now - (1000 - this.members.size) * 60_000,
			updatedDate: now,
		};
		this.members.set(member.id, member);
		return member;
	}

	/**
	 * A member as the Members API answers it for a fieldset: PUBLIC has the id, contact id, dates and profile, with
	 * the statuses `UNKNOWN`; EXTENDED adds the login email and the statuses; FULL adds the contact.
	 */
	memberJson(member: SiteMember, fieldset: MemberFieldset): Json {
		const json: Json = {
			id: member.id,
			contactId: member.contactId,
			profile: {
				nickname: member.nickname,
				slug: member.slug,
				photo: {
					id: '',
					url: `${this.ctx.baseUrl()}/shared-gallery-files/profiles/${member.id}.png`,
					height: 256,
					width: 256,
				},
			},
			status: 'UNKNOWN',
			privacyStatus: 'UNKNOWN',
			activityStatus: 'UNKNOWN',
			createdDate: new Date(member.createdDate).toISOString(),
			updatedDate: new Date(member.updatedDate).toISOString(),
		};
		if (fieldset === 'PUBLIC') return json;
		Object.assign(json, {
			loginEmail: member.loginEmail,
			status: member.status,
			privacyStatus: member.privacyStatus,
			activityStatus: member.activityStatus,
		});
		if (fieldset === 'FULL') {
			json.contact = {
				contactId: member.contactId,
				firstName: member.firstName,
				lastName: member.lastName,
				emails: [member.loginEmail],
				phones: [],
				addresses: [],
			};
		}
		return json;
	}

	private page(members: SiteMember[], page: MemberPage, fieldset: MemberFieldset): Json {
		const slice = members.slice(page.offset, page.offset + page.limit);
		return {
			members: slice.map((member) => this.memberJson(member, fieldset)),
			metadata: {
				count: slice.length,
				offset: page.offset,
				total: members.length,
				tooManyToCount: false,
			},
		};
	}

	/** `POST /members/v1/members/query`: `{ query: { filter, sorting, paging }, fieldsets, search }`. */
	query(body: unknown): Json {
		if (typeof body !== 'object' || body === null || Array.isArray(body)) {
			throw invalidArgument('body', 'must be a JSON object');
		}
		const request = body as Json;
		const query = (request.query ?? {}) as Json;
		if (typeof query !== 'object' || query === null)
			throw invalidArgument('query', 'must be an object');
		const fieldset = parseFieldsets(request.fieldsets, request.fieldSet);
		const page = parsePaging(query.paging);
		const sorting = parseSorting(query.sorting);
		const searched = searchPredicate(request.search);
		const matching = [...this.members.values()].filter(
			(member) => matchesFilter(member, query.filter) && searched(member),
		);
		return this.page(sortMembers(matching, sorting), page, fieldset);
	}

	/** `GET /members/v1/members?paging.limit=&paging.offset=&fieldsets=&sorting.fieldName=&sorting.order=`. */
	list(params: URLSearchParams): Json {
		const number = (name: string) => (params.has(name) ? Number(params.get(name)) : undefined);
		const page = parsePaging({ limit: number('paging.limit'), offset: number('paging.offset') });
		const sortField = params.get('sorting.fieldName');
		const sorting = parseSorting(
			sortField ? { fieldName: sortField, order: params.get('sorting.order') ?? 'ASC' } : undefined,
		);
		const fieldset = parseFieldsets(
			params.getAll('fieldsets'),
			params.get('fieldSet') ?? undefined,
		);
		return this.page(sortMembers([...this.members.values()], sorting), page, fieldset);
	}

	/** `GET /members/v1/members/{id}?fieldsets=`. */
	get(id: string, params: URLSearchParams): Json {
		const member = this.members.get(id);
		if (!member) throw notFound('Member', id);
		const fieldset = parseFieldsets(
			params.getAll('fieldsets'),
			params.get('fieldSet') ?? undefined,
		);
		return { member: this.memberJson(member, fieldset) };
	}

	dump() {
		return { members: [...this.members.values()] };
	}
}
