import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { toNodeError } from '../../shared/execution';
import { isRefusal, lookUpMembers, profileStatusOf } from './members';
import type { MemberName } from './members';

/**
 * Member names for one node run: what the Shared Gallery's `Profiles` fieldset told, and what the Members API was
 * asked for the rest. Each member is looked up at most once per run, whatever the number of items and input items.
 */
export class MemberNames {
	private readonly known = new Map<string, MemberName>();
	/** Members the Members API has been asked about (found or not). */
	private readonly lookedUp = new Set<string>();
	/** Whether Wix refused a lookup (no Read Members permission), and whether the user has been told. */
	private refused = false;
	private refusalReported = false;

	/** Remembers an IdentityProfile from a Shared Gallery answer (`{ id, name, identityProfileStatus }`). */
	rememberProfile(profile: unknown): void {
		if (typeof profile !== 'object' || profile === null) return;
		const { id, name, identityProfileStatus } = profile as IDataObject;
		if (typeof id !== 'string' || id === '') return;
		const status = profileStatusOf(identityProfileStatus);
		const named = typeof name === 'string' && name.trim() !== '' ? name.trim() : null;
		const previous = this.known.get(id);
		// A name from the Members API, or an earlier profile that had one, is kept over a nameless profile.
		if (previous?.name && !named) return;
		this.known.set(id, { id, name: named, profileStatus: status });
	}

	get(id: string): MemberName | undefined {
		return this.known.get(id);
	}

	/**
	 * Looks up, in the Members API, the members among `ids` without a name yet: those the Shared Gallery answered
	 * without one (it ignored the fieldset, or did not know the member), and private ones when their names are
	 * wanted. A private profile's name is left out unless `includePrivate`.
	 */
	async resolve(
		context: IExecuteFunctions,
		ids: Iterable<string>,
		includePrivate: boolean,
		itemIndex: number,
	): Promise<void> {
		const missing = [...new Set(ids)].filter((id) => {
			if (this.lookedUp.has(id)) return false;
			const known = this.known.get(id);
			if (!known) return true;
			if (known.name) return false;
			return known.profileStatus !== 'PRIVATE' || includePrivate;
		});
		if (missing.length === 0 || this.refused) return;
		let found: MemberName[];
		try {
			found = await lookUpMembers.call(context, missing, itemIndex);
		} catch (error) {
			// The names are a nicety on top of the query: without the permission, the items still come out, and the
			// run says why names are missing (once), instead of failing what worked before names were looked up.
			if (!isRefusal(error)) throw toNodeError(context.getNode(), error, itemIndex);
			this.refused = true;
			return;
		}
		for (const id of missing) this.lookedUp.add(id);
		for (const member of found) {
			const previous = this.known.get(member.id);
			this.known.set(member.id, {
				id: member.id,
				name: member.name,
				// The Shared Gallery's word on privacy stands when the Members API's answer has none.
				profileStatus:
					member.profileStatus === 'UNKNOWN'
						? (previous?.profileStatus ?? 'UNKNOWN')
						: member.profileStatus,
			});
		}
	}

	/** True once, after Wix refused a lookup: the caller then tells the user why names are missing. */
	takeRefusal(): boolean {
		if (!this.refused || this.refusalReported) return false;
		this.refusalReported = true;
		return true;
	}

	/** The name to output: none for a private profile unless `includePrivate`. */
	nameOf(id: string, includePrivate: boolean): string | null {
		const member = this.known.get(id);
		if (!member) return null;
		if (member.profileStatus === 'PRIVATE' && !includePrivate) return null;
		return member.name;
	}

	profileStatusOf(id: string): MemberName['profileStatus'] {
		return this.known.get(id)?.profileStatus ?? 'UNKNOWN';
	}
}
