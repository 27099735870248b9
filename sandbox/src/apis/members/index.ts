import { addRoutes } from '../../core/routing';
import { membersRoutes } from './routes';
import { seedMembers } from './seed';
import { MembersStore } from './store';
import type { MembersModule } from './types';

export { SITE_MEMBERS } from './seed';
export { MEMBERS_QUERY_DEFAULT_LIMIT, MEMBERS_QUERY_MAX_LIMIT } from './query';
export type { MembersModule, NewSiteMember, SiteMember } from './types';

/**
 * Wix Members (`/members/v1/members`, docs/wix-api.md §10): the site's members with their public profiles and privacy
 * status, read through Query Members (filter, search, sorting, offset paging), List Members and Get Member. The
 * Shared Gallery reads names and privacy from here for its `Profiles` fieldset.
 */
export function createMembersModule(): MembersModule {
	const store = new MembersStore();
	return {
		name: 'members',
		member: (id) => store.members.get(id),
		ensure: (id, nickname) => store.members.get(id) ?? store.add({ id, nickname }),
		register(ctx) {
			store.attach(ctx);
			addRoutes(ctx, membersRoutes(store));
		},
		reset(ctx, seed) {
			store.attach(ctx);
			store.reset();
			if (seed === 'default') for (const member of seedMembers()) store.add(member);
		},
		dump: () => store.dump(),
	};
}
