import { readMemberFilter } from '../../nodes/WixSharedGallery/descriptions/members.description';
import { MemberNames } from '../../nodes/WixSharedGallery/helpers/memberNames';
import { normaliseMember } from '../../nodes/WixSharedGallery/helpers/members';

const A = 'a11ce000-5eed-4000-8000-000000000001';
const B = 'b1a00000-5eed-4000-8000-000000000002';

describe('member filters', () => {
	test('read version 2 picked members, version 1 text and arrays from expressions alike', () => {
		const picked = {
			members: [
				{ member: { __rl: true, mode: 'list', value: A } },
				// By ID with an expression that gave several IDs, one of them again.
				{ member: { __rl: true, mode: 'id', value: [B, A] } },
				{ member: { __rl: true, mode: 'id', value: ` ${B}, ` } },
				{ member: { __rl: true, mode: 'list', value: '' } },
			],
		};
		expect(readMemberFilter(picked, 'Created By')).toEqual([A, B]);
		expect(readMemberFilter({}, 'Created By')).toEqual([]);
		expect(readMemberFilter(`${A}, ${B}`, 'Created By')).toEqual([A, B]);
		expect(readMemberFilter([A], 'Created By')).toEqual([A]);
		expect(readMemberFilter(undefined, 'Created By')).toEqual([]);
	});

	test('refuse what is not member IDs, naming the filter', () => {
		expect(() => readMemberFilter({ members: 'x' }, 'Liked By')).toThrow(/Liked By/);
		expect(() =>
			readMemberFilter(
				{ members: [{ member: { __rl: true, value: { id: A } } }] },
				'Tagged Members',
			),
		).toThrow(/Tagged Members/);
	});
});

describe('member names', () => {
	test('a member is named by nickname, else by the contact name in either casing', () => {
		expect(
			normaliseMember({ id: A, profile: { nickname: ' Ann ' }, privacyStatus: 'PRIVATE' }),
		).toEqual({ id: A, name: 'Ann', profileStatus: 'PRIVATE' });
		expect(
			normaliseMember({
				id: B,
				profile: {},
				contact: { first_name: 'Bo', last_name: 'Lind' },
				privacy_status: 'PUBLIC',
			}),
		).toEqual({ id: B, name: 'Bo Lind', profileStatus: 'PUBLIC' });
		expect(normaliseMember({ _id: A })).toEqual({ id: A, name: null, profileStatus: 'UNKNOWN' });
	});

	test('a private profile stays unnamed unless asked for; a later nameless profile keeps a known name', () => {
		const names = new MemberNames();
		names.rememberProfile({ id: A, name: 'Ann', identityProfileStatus: 'PRIVATE' });
		names.rememberProfile({ id: B, name: 'Bo', identityProfileStatus: 'PUBLIC' });
		names.rememberProfile({ id: B });
		expect(names.nameOf(A, false)).toBeNull();
		expect(names.nameOf(A, true)).toBe('Ann');
		expect(names.profileStatusOf(A)).toBe('PRIVATE');
		expect(names.nameOf(B, false)).toBe('Bo');
		expect(names.nameOf('unknown', true)).toBeNull();
		expect(names.profileStatusOf('unknown')).toBe('UNKNOWN');
	});
});
