import { randomUUID } from 'node:crypto';

import type { IExecuteFunctions } from 'n8n-workflow';

import { DataTableMappingStore } from './dataTableStore';
import type { MappingStore, MappingStoreKind } from './mappingStore';
import { StaticDataMappingStore } from './staticDataStore';

/**
 * The mappings one node run uses, each opened once (by store and name) however many items the run has, and the
 * warnings their stores raised, shown once on the node's output.
 */
export class MappingStores {
	private readonly opened = new Map<string, Promise<MappingStore>>();
	private readonly warnings = new Set<string>();
	/** Tells this node run's own announcements from those of other runs, even of the same execution (loops). */
	readonly runId = randomUUID();

	constructor(private readonly context: IExecuteFunctions) {}

	async open(kind: MappingStoreKind, name: string, itemIndex: number): Promise<MappingStore> {
		const key = `${kind}\u0000${name}`;
		let store = this.opened.get(key);
		if (!store) {
			const warn = (message: string) => this.warnings.add(message);
			store =
				kind === 'dataTable'
					? DataTableMappingStore.open(this.context, name, itemIndex, warn)
					: Promise.resolve(this.openStaticData(name, warn));
			this.opened.set(key, store);
			// A failed open (a wrong credential, an unreachable n8n) fails every item of this run at once, instead
			// of being retried, with backoff, for each of them.
			store.catch(() => undefined);
		}
		return await store;
	}

	private openStaticData(name: string, warn: (message: string) => void): MappingStore {
		if (this.context.getMode() === 'manual') {
			warn(
				'n8n does not save static data after a manual execution: the links recorded in this run are kept only in this n8n process until it restarts. Activate the workflow, or choose the n8n Data Table store.',
			);
		}
		return StaticDataMappingStore.open(this.context, name, warn);
	}

	async refresh(): Promise<void> {
		for (const store of this.opened.values()) {
			try {
				(await store).refresh();
			} catch {
				// A store that failed to open has nothing to refresh.
			}
		}
	}

	/** Reports the warnings in n8n's log and as hints on the node's output. */
	reportWarnings(): void {
		if (this.warnings.size === 0) return;
		for (const message of this.warnings) {
			this.context.logger?.warn(`Wix Gallery Sync: ${message}`);
		}
		this.context.addExecutionHints?.(
			...[...this.warnings].map((message) => ({ message, type: 'warning' as const })),
		);
	}
}
