import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { authenticationProperty, wixCredentials } from '../shared/descriptions';
import { toNodeError } from '../shared/execution';
import { isWixGuid } from '../shared/idList';
import { forgetCredentials, getCredentialType, readCredentials } from '../shared/transport';
import { galleryListSearch, galleryRLC } from '../shared/wix/proGallery/galleryLocator';
import type { GalleryEventName } from '../shared/wix/proGallery/events';
import { isItemEvent } from '../shared/wix/proGallery/events';
import { changeToOutput, findChanges, isGalleryEventName, sampleChange } from './helpers/changes';
import type { GalleryChange } from './helpers/changes';
import { readGalleries } from './helpers/listing';
import { STATE_KEY, decodeState, encodeState, sameSelection } from './helpers/state';
import type { Selection } from './helpers/state';

interface PollOptions {
	reportExistingOnFirstRun?: boolean;
}

/**
 * Polls of one trigger that are still running, by workflow and node. n8n starts a poll at every poll time even
 * when the previous one has not finished (a large site on a short interval); two polls comparing against the same
 * saved state would report the same changes twice, so the later one stands aside.
 */
const runningPolls = new Set<string>();

function selectedEvents(context: IPollFunctions): GalleryEventName[] {
	const events = context.getNodeParameter('events', []) as unknown;
	if (!Array.isArray(events) || events.length === 0 || !events.every(isGalleryEventName)) {
		throw new NodeOperationError(context.getNode(), 'Select at least one event in "Events"', {
			description: 'Pick the gallery and item events the workflow should start for.',
		});
	}
	return events;
}

function selection(context: IPollFunctions): Selection {
	if (context.getNodeParameter('watch', 'all') !== 'selected') return { all: true };
	const collection = context.getNodeParameter('galleries', {}) as {
		gallery?: Array<{ galleryId?: unknown }>;
	};
	const ids: string[] = [];
	for (const entry of collection.gallery ?? []) {
		const locator = entry.galleryId as { value?: unknown } | string | undefined;
		const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;
		// Wix's IDs are lower case, and the listing is matched by them: a pasted upper-case GUID would match nothing.
		const id = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
		if (typeof id !== 'string' || !isWixGuid(id)) {
			throw new NodeOperationError(
				context.getNode(),
				`${JSON.stringify(id ?? '')} in "Galleries" is not a Wix gallery ID`,
				{ description: 'Pick each gallery from the list, or give its ID (a GUID).' },
			);
		}
		if (!ids.includes(id)) ids.push(id);
	}
	if (ids.length === 0) {
		throw new NodeOperationError(context.getNode(), 'No gallery given in "Galleries"', {
			description: 'Add the galleries to watch, or set "Watch" to All Galleries.',
		});
	}
	return { all: false, ids };
}

async function instanceIdOf(context: IPollFunctions): Promise<string | null> {
	const credentialType = getCredentialType(context);
	if (credentialType !== 'wixGalleryOAuth2Api') return null;
	const credentials = await readCredentials(context, credentialType);
	return typeof credentials.instanceId === 'string' ? credentials.instanceId : null;
}

export class WixGalleryPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wix Gallery Polling Trigger',
		name: 'wixGalleryPollingTrigger',
		icon: { light: 'file:../../icons/wix.svg', dark: 'file:../../icons/wix.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description:
			'Starts the workflow when Wix Pro Gallery galleries or items are created, updated or deleted, by polling (no Wix app needed)',
		defaults: { name: 'Wix Gallery Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: wixCredentials,
		properties: [
			{
				displayName:
					'Checks Wix at each poll time and reports what changed since the last check. The first check only records what is there. "Fetch Test Event" shows the newest item as a sample event and does not change what the trigger has recorded.',
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
			authenticationProperty,
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{
						name: 'Gallery Created',
						value: 'galleryCreated',
						description: 'A gallery appeared (the event carries the gallery without its items)',
					},
					{
						name: 'Gallery Deleted',
						value: 'galleryDeleted',
						description: 'A gallery is no longer listed (the event carries only its ID)',
					},
					{
						name: 'Gallery Item Created',
						value: 'galleryItemCreated',
						description: 'An item appeared in a gallery',
					},
					{
						name: 'Gallery Item Deleted',
						value: 'galleryItemDeleted',
						description:
							'An item is no longer listed (the event carries only its ID; Origin is "Gallery Deleted" when its gallery was deleted)',
					},
					{
						name: 'Gallery Item Updated',
						value: 'galleryItemUpdated',
						description: 'An item has a new updated date',
					},
					{
						name: 'Gallery Updated',
						value: 'galleryUpdated',
						description: "A gallery's name, sort order or other fields changed",
					},
				],
				default: ['galleryItemCreated', 'galleryItemUpdated', 'galleryItemDeleted'],
				description:
					'The Pro Gallery changes that start the workflow. Item events need every item of the watched galleries read at each poll (100 per request).',
			},
			{
				displayName: 'Watch',
				name: 'watch',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'All Galleries',
						value: 'all',
						description: 'Every gallery of the site, including galleries created later',
					},
					{
						name: 'Selected Galleries',
						value: 'selected',
						description: 'Only the galleries below',
					},
				],
				default: 'all',
			},
			{
				displayName: 'Galleries',
				name: 'galleries',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add gallery',
				default: {},
				displayOptions: { show: { watch: ['selected'] } },
				options: [
					{
						displayName: 'Gallery',
						name: 'gallery',
						values: [{ ...galleryRLC, description: 'A gallery to watch' }],
					},
				],
			},
			{
				displayName: 'Options',
				name: 'pollOptions',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Report Existing on First Run',
						name: 'reportExistingOnFirstRun',
						type: 'boolean',
						default: false,
						description:
							'Whether the first poll reports every existing gallery and item as created. By default it only records them, and reports what changes afterwards.',
					},
				],
			},
		],
	};

	methods = { listSearch: galleryListSearch };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const events = selectedEvents(this);
		const watched = selection(this);
		const withItems = events.some(isItemEvent);
		const manual = this.getMode() === 'manual';
		const runKey = `${String(this.getWorkflow().id)}/${this.getNode().id}`;
		if (!manual && runningPolls.has(runKey)) {
			this.logger.warn(
				`Wix Gallery Polling Trigger "${this.getNode().name}" skipped a poll: the previous one is still running`,
			);
			return null;
		}
		if (!manual) runningPolls.add(runKey);
		forgetCredentials(this);
		try {
			const detectedAt = new Date().toISOString();
			let listing;
			try {
				listing = await readGalleries.call(this, {
					galleryIds: watched.all ? undefined : watched.ids,
					withItems,
				});
			} catch (error) {
				// Wix's errors come as NodeApiErrors; a listing that never settled or never ended is named here.
				throw toNodeError(this.getNode(), error, 0);
			}
			const instanceId = await instanceIdOf(this);
			const output = (changes: GalleryChange[]) =>
				changes.map((change) => ({
					json: changeToOutput(change, { instanceId, detectedAt }),
				}));

			if (manual) {
				// A test fetch shows what an event looks like and leaves the recorded state to the active workflow.
				const sample = sampleChange(listing, events, detectedAt);
				return sample ? [output([sample])] : null;
			}

			const staticData = this.getWorkflowStaticData('node');
			const previous = decodeState(staticData[STATE_KEY]);
			const options = this.getNodeParameter('pollOptions', {}) as PollOptions;
			const { changes, next } = findChanges(previous, listing, watched, {
				reportExisting: options.reportExistingOnFirstRun === true,
				detectedAt,
			});
			// Recorded before the events are returned: n8n saves the static data as it starts their execution.
			// Assigned only when it differs: n8n saves static data after any assignment, and it grows with the site.
			const encoded = encodeState(next);
			if (JSON.stringify(encoded) !== JSON.stringify(staticData[STATE_KEY])) {
				staticData[STATE_KEY] = encoded as unknown as IDataObject;
			}
			if (previous && !sameSelection(previous.selection, watched)) {
				this.logger.info(
					`Wix Gallery Polling Trigger "${this.getNode().name}": the watched galleries changed; newly watched galleries were recorded without reporting them`,
				);
			}
			const reported = changes.filter((change) => events.includes(change.event));
			return reported.length > 0 ? [output(reported)] : null;
		} finally {
			if (!manual) runningPolls.delete(runKey);
		}
	}
}
