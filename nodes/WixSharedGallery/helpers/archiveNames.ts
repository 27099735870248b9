/**
 * Which Shared Gallery item an archive entry is. Wix puts every file at the archive root under the item's `name`
 * (the original upload name); names that collide get " (2)", " (3)", … before the extension, in request order,
 * ignoring case, as file systems that ignore case would otherwise overwrite them. Path separators cannot be part of
 * a root-level name, so they are replaced. The entry's size, when known, settles any remaining ambiguity.
 */

export interface ArchiveCandidate {
	id: string;
	name: string;
	sizeBytes?: number;
}

export interface ArchiveEntryRef {
	name: string;
	/** Bytes, or undefined when unknown. */
	size?: number;
}

/** The name an item gets in the archive before de-duplication. */
export function archiveBaseName(name: string): string {
	const clean = [...name.replace(/[\\/]/g, '_')]
		.filter((character) => character.charCodeAt(0) >= 0x20)
		.join('');
	return clean || 'file';
}

/** The names Wix gives items in one archive, in the order they were asked for. */
export function expectedArchiveNames(names: string[]): string[] {
	const used = new Set<string>();
	return names.map((raw) => {
		const clean = archiveBaseName(raw);
		const dot = clean.lastIndexOf('.');
		const stem = dot > 0 ? clean.slice(0, dot) : clean;
		const extension = dot > 0 ? clean.slice(dot) : '';
		let candidate = clean;
		for (let copy = 2; used.has(candidate.toLowerCase()); copy++) {
			candidate = `${stem} (${copy})${extension}`;
		}
		used.add(candidate.toLowerCase());
		return candidate;
	});
}

/** `a (2) (3).png` → [`a (2).png`, `a.png`]: the names a de-duplicated name may have come from. */
function withoutCopySuffixes(name: string): string[] {
	const names: string[] = [];
	let current = name;
	for (;;) {
		const match = /^(.*) \((\d+)\)(\.[^.]*)?$/.exec(current);
		if (!match) return names;
		current = `${match[1]}${match[3] ?? ''}`;
		names.push(current);
	}
}

/** The entry's last path segment: Wix writes files at the root, other writers may not. */
function leafName(name: string): string {
	const parts = name.split('/');
	return parts[parts.length - 1] || name;
}

function sizeFits(candidate: ArchiveCandidate, entry: ArchiveEntryRef): boolean {
	return (
		candidate.sizeBytes === undefined ||
		entry.size === undefined ||
		candidate.sizeBytes === entry.size
	);
}

/**
 * Matches entries to candidates one to one. First by the exact name Wix's de-duplication predicts (which needs
 * the candidates in request order), then — for archives whose order or numbering differs — by the name without
 * copy suffixes, preferring a candidate of the same size. Returns, per entry, the candidate's index or -1.
 */
export function matchArchiveEntries(
	entries: ArchiveEntryRef[],
	candidates: ArchiveCandidate[],
): number[] {
	const taken = new Set<number>();
	const result = entries.map(() => -1);
	const predicted = expectedArchiveNames(candidates.map((candidate) => candidate.name));

	const byPredicted = new Map<string, number[]>();
	predicted.forEach((name, index) => {
		const key = name.toLowerCase();
		byPredicted.set(key, [...(byPredicted.get(key) ?? []), index]);
	});
	const take = (indexes: number[] | undefined, entry: ArchiveEntryRef): number => {
		const free = (indexes ?? []).filter((index) => !taken.has(index));
		const chosen =
			free.find(
				(index) => sizeFits(candidates[index], entry) && candidates[index].sizeBytes !== undefined,
			) ?? free.find((index) => sizeFits(candidates[index], entry));
		if (chosen === undefined) return -1;
		taken.add(chosen);
		return chosen;
	};

	entries.forEach((entry, entryIndex) => {
		const exact = (byPredicted.get(leafName(entry.name).toLowerCase()) ?? []).filter(
			(index) => predicted[index] === leafName(entry.name),
		);
		result[entryIndex] = take(exact, entry);
	});
	entries.forEach((entry, entryIndex) => {
		if (result[entryIndex] !== -1) return;
		result[entryIndex] = take(byPredicted.get(leafName(entry.name).toLowerCase()), entry);
	});

	const byBase = new Map<string, number[]>();
	candidates.forEach((candidate, index) => {
		const key = archiveBaseName(candidate.name).toLowerCase();
		byBase.set(key, [...(byBase.get(key) ?? []), index]);
	});
	entries.forEach((entry, entryIndex) => {
		if (result[entryIndex] !== -1) return;
		const leaf = leafName(entry.name);
		for (const name of [leaf, ...withoutCopySuffixes(leaf)]) {
			const chosen = take(byBase.get(name.toLowerCase()), entry);
			if (chosen !== -1) {
				result[entryIndex] = chosen;
				return;
			}
		}
	});
	return result;
}

/** The file name in a Content-Disposition header, preferring the UTF-8 `filename*` form. */
export function fileNameFromDisposition(value: string | undefined): string | undefined {
	if (!value) return undefined;
	const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)?'[^']*'([^;]+)/i.exec(value);
	if (extended) {
		try {
			return decodeURIComponent(extended[1].trim());
		} catch {
			// A malformed escape falls through to the plain form.
		}
	}
	const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(value);
	const name = plain?.[1] ?? plain?.[2]?.trim();
	return name || undefined;
}
