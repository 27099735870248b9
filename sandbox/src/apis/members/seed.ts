import { SHARED_GALLERY_MEMBERS } from '../sharedGallery/seedData';
import type { NewSiteMember } from './types';

/**
 * The default seed's site members: the Shared Gallery's three uploaders (same ids and names, so that its items'
 * `createdBy`, likes and tags resolve to names), a member whose name shares a prefix with Alice's (a search for
 * "ali" finds two), and one with a private profile.
 */
export const SITE_MEMBERS = {
	alice: { ...SHARED_GALLERY_MEMBERS.alice, privacyStatus: 'PUBLIC' },
	bruno: { ...SHARED_GALLERY_MEMBERS.bruno, privacyStatus: 'PUBLIC' },
	chen: { ...SHARED_GALLERY_MEMBERS.chen, privacyStatus: 'PUBLIC' },
	alicia: {
		id: 'a11c1a00-5eed-4000-8000-000000000004',
		name: 'Alicia Brandt',
		privacyStatus: 'PUBLIC',
	},
	dora: {
		id: 'd0a00000-5eed-4000-8000-000000000005',
		name: 'Dora Lindqvist',
		privacyStatus: 'PRIVATE',
	},
} as const;

export function seedMembers(): NewSiteMember[] {
	return Object.values(SITE_MEMBERS).map((member) => {
		const [firstName, ...rest] = member.name.split(' ');
		return {
			id: member.id,
			nickname: member.name,
			firstName,
			lastName: rest.join(' '),
			privacyStatus: member.privacyStatus,
		};
	});
}
