import type { SandboxModule } from '../../context';

/** A site member as the Members API holds it (docs/wix-api.md §10). */
export interface SiteMember {
	id: string;
	contactId: string;
	loginEmail: string;
	nickname: string;
	slug: string;
	firstName: string;
	lastName: string;
	/** `PRIVATE`: only the member and the site see the profile. */
	privacyStatus: 'PUBLIC' | 'PRIVATE';
	status: 'APPROVED' | 'PENDING' | 'BLOCKED' | 'OFFLINE';
	activityStatus: 'ACTIVE' | 'MUTED';
	createdDate: number;
	updatedDate: number;
}

/** What a member may be created with (`POST /_sandbox/members`); only the nickname is required. */
export interface NewSiteMember {
	id?: string;
	nickname: string;
	firstName?: string;
	lastName?: string;
	loginEmail?: string;
	privacyStatus?: SiteMember['privacyStatus'];
}

export const MEMBER_FIELDSETS = ['PUBLIC', 'EXTENDED', 'FULL'] as const;
export type MemberFieldset = (typeof MEMBER_FIELDSETS)[number];

export interface MembersModule extends SandboxModule {
	name: 'members';
	/** A site member, or undefined. */
	member(id: string): SiteMember | undefined;
	/** The member with this id, created with this nickname when the site has none (other modules' seeds). */
	ensure(id: string, nickname: string): SiteMember;
}
