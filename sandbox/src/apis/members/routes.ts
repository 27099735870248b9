import type { RouteDefinition } from '../../context';
import { invalidArgument } from '../../errors';
import type { MembersStore } from './store';
import type { NewSiteMember } from './types';

/** The Members API reads the package uses (docs/wix-api.md §10), and the control routes to add members. */
export function membersRoutes(store: MembersStore): RouteDefinition[] {
	return [
		{
			method: 'POST',
			path: '/members/v1/members/query',
			handler: (req) => ({ body: store.query(req.json()) }),
		},
		{
			method: 'GET',
			path: '/members/v1/members',
			handler: (req) => ({ body: store.list(req.query) }),
		},
		{
			method: 'GET',
			path: '/members/v1/members/:id',
			handler: (req) => ({ body: store.get(req.params.id, req.query) }),
		},
		{
			method: 'GET',
			path: '/_sandbox/members',
			handler: () => ({
				body: {
					members: [...store.members.values()].map((member) => store.memberJson(member, 'FULL')),
				},
			}),
		},
		{
			// One member (`{ nickname, id?, privacyStatus?, … }`) or several (`{ members: [...] }`).
			method: 'POST',
			path: '/_sandbox/members',
			handler: (req) => {
				const body = req.json() as { members?: unknown } & NewSiteMember;
				const inputs = body.members === undefined ? [body] : body.members;
				if (!Array.isArray(inputs)) throw invalidArgument('members', 'must be an array');
				const added = (inputs as NewSiteMember[]).map((input) => store.add(input));
				return {
					status: 201,
					body: { members: added.map((member) => store.memberJson(member, 'FULL')) },
				};
			},
		},
	];
}
