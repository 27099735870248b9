import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHookFunctions,
	INode,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { flattenGalleryEvent, galleryEventName } from './webhooks/events';
import type { GalleryEventName } from './webhooks/events';
import {
	WebhookKeyError,
	WebhookVerificationError,
	loadWixPublicKey,
	verifyWixWebhook,
} from './webhooks/verify';
import type { VerifiedWixWebhook } from './webhooks/verify';
import { readTriggerCredentials } from './helpers/credentialReuse';
import { recordDelivery } from './helpers/deliveryLog';
import { parseIdList } from '../shared/idList';

interface TriggerOptions {
	acceptOtherSites?: boolean;
	skipStaleEvents?: boolean;
}

const PUBLIC_KEY_HELP =
	"Copy the public key from your Wix app's dashboard (Develop → Webhooks → Get Public Key) into the App Public Key field of the Wix App OAuth2 credential.";

function keyError(node: INode, error: WebhookKeyError): NodeOperationError {
	return new NodeOperationError(node, error.message, { description: PUBLIC_KEY_HELP });
}

function attemptVerification(
	credentials: ICredentialDataDecryptedObject,
	rawBody: Buffer | string,
): { verified?: VerifiedWixWebhook; failure?: unknown } {
	try {
		return {
			verified: verifyWixWebhook(rawBody, String(credentials.publicKey ?? ''), {
				appId: typeof credentials.appId === 'string' ? credentials.appId : undefined,
			}),
		};
	} catch (failure) {
		return { failure };
	}
}

/** Refuses a delivery that could not be verified: 401, no execution, and no stack trace in the answer. */
function unauthorized(context: IWebhookFunctions): IWebhookResponseData {
	context.getResponseObject().status(401).send('Unauthorized').end();
	return { noWebhookResponse: true };
}

/** Answers 200 without starting the workflow: Wix retries anything else for up to 48 hours. */
function ignored(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, ignored: reason } };
}

export class WixGalleryTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Wix Gallery Trigger',
		name: 'wixGalleryTrigger',
		icon: { light: 'file:../../icons/wix.svg', dark: 'file:../../icons/wix.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description:
			'Starts the workflow when Wix Pro Gallery galleries or items are created, updated or deleted',
		defaults: { name: 'Wix Gallery Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'wixGalleryOAuth2Api', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// Wix reads only the status; without this n8n answers a started delivery with its default's name.
				responseData: 'noData',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					"Wix has no API to subscribe webhooks, so register this node by hand: in your Wix app's dashboard open Develop → Webhooks, add each event selected below (category Pro Gallery) and paste this node's Production URL as the callback URL. To try the node, paste the Test URL instead and click 'Listen for test event', then put the Production URL back before you activate the workflow.",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{
						name: 'Gallery Created',
						value: 'galleryCreated',
						description: 'A gallery was created (the event carries the gallery without its items)',
					},
					{
						name: 'Gallery Deleted',
						value: 'galleryDeleted',
						description: 'A gallery was deleted (the event carries only its ID)',
					},
					{
						name: 'Gallery Item Created',
						value: 'galleryItemCreated',
						description: 'An item was added to a gallery',
					},
					{
						name: 'Gallery Item Deleted',
						value: 'galleryItemDeleted',
						description:
							'An item was removed from a gallery (the event carries only its ID; Origin is "Gallery Deleted" when its gallery was deleted)',
					},
					{
						name: 'Gallery Item Updated',
						value: 'galleryItemUpdated',
						description: 'An item was changed',
					},
					{
						name: 'Gallery Updated',
						value: 'galleryUpdated',
						description: 'A gallery was changed (the event carries the gallery without its items)',
					},
				],
				default: ['galleryItemCreated', 'galleryItemUpdated', 'galleryItemDeleted'],
				description:
					'The Pro Gallery events that start the workflow; others are acknowledged and dropped',
			},
			{
				displayName: 'Gallery IDs',
				name: 'galleryIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 3f1c2b7a-…, 8d9e0f1a-…',
				description:
					'Only start the workflow for events of these galleries (IDs separated by commas). Leave empty for all galleries.',
			},
			{
				// n8n parses a webhook body before the node sees it and answers 422 to a JWT sent as application/json
				// (Wix's content type is not documented). For a version-1 trigger whose `options.binaryData` is true,
				// n8n leaves the body unparsed, so the node reads the raw JWT itself whatever the content type.
				displayName: 'Raw Body',
				name: 'options',
				type: 'hidden',
				default: { binaryData: true },
			},
			{
				displayName: 'Options',
				name: 'deliveryOptions',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Accept Other Sites',
						name: 'acceptOtherSites',
						type: 'boolean',
						default: false,
						description:
							"Whether to start the workflow for events from every site the Wix app is installed on. By default only events of the credential's Instance ID do.",
					},
					{
						displayName: 'Skip Stale Events',
						name: 'skipStaleEvents',
						type: 'boolean',
						default: false,
						description:
							'Whether to drop events older than one already received for the same item or gallery (Wix may deliver out of order). By default they start the workflow with "stale" set to true.',
					},
				],
			},
		],
	};

	/**
	 * Wix has no API to subscribe webhooks (they are added by hand in the app dashboard), so activation only checks
	 * that the credential can verify deliveries, and remembers which URL that was checked for.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				return staticData.checkedWebhookUrl === this.getNodeWebhookUrl('default');
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const credentials = await this.getCredentials('wixGalleryOAuth2Api');
				try {
					loadWixPublicKey(String(credentials.publicKey ?? ''));
				} catch (error) {
					if (error instanceof WebhookKeyError) throw keyError(this.getNode(), error);
					throw new NodeOperationError(this.getNode(), error as Error);
				}
				this.getWorkflowStaticData('node').checkedWebhookUrl = this.getNodeWebhookUrl('default');
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				// The delivery log stays: Wix keeps redelivering for 48 hours, also across a reactivation.
				delete this.getWorkflowStaticData('node').checkedWebhookUrl;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		try {
			// n8n reads the raw body for text/plain (what Wix sends) but not for every content type.
			if (request.rawBody === undefined) await request.readRawBody();
		} catch (error) {
			throw new NodeOperationError(this.getNode(), error as Error);
		}
		const rawBody = request.rawBody ?? '';
		const firstRead = await readTriggerCredentials(this, true);
		let credentials = firstRead.data;
		let attempt = attemptVerification(credentials, rawBody);
		if (!attempt.verified && firstRead.reused) {
			// The credential may have been edited since it was read: a new key or app ID is used at once.
			credentials = (await readTriggerCredentials(this, false)).data;
			attempt = attemptVerification(credentials, rawBody);
		}
		const verified = attempt.verified;
		if (!verified) {
			const { failure } = attempt;
			if (failure instanceof WebhookKeyError) {
				// Whatever cannot be verified is refused the same way; the owner learns why from n8n's log.
				this.logger.warn(
					`Wix Gallery Trigger "${this.getNode().name}" refused a delivery: ${failure.message}. Fix the App Public Key in the credential.`,
				);
				return unauthorized(this);
			}
			if (failure instanceof WebhookVerificationError) return unauthorized(this);
			throw new NodeOperationError(this.getNode(), failure as Error);
		}
		// A token without an expiry is valid for ever; its issue time bounds how long ago it can have been sent.
		let issuedAtWithoutExpiry: number | undefined;
		if (verified.claims.exp === undefined) {
			if (typeof verified.claims.iat !== 'number') return unauthorized(this);
			issuedAtWithoutExpiry = verified.claims.iat * 1000;
		}

		const eventName = galleryEventName(verified);
		const selectedEvents = this.getNodeParameter('events', []) as GalleryEventName[];
		if (!eventName || !selectedEvents.includes(eventName)) return ignored('event not selected');

		const options = this.getNodeParameter('deliveryOptions', {}) as TriggerOptions;
		const instanceId = typeof credentials.instanceId === 'string' ? credentials.instanceId : '';
		if (!options.acceptOtherSites && instanceId && verified.instanceId !== instanceId) {
			return ignored('other site');
		}
		const galleryIds = parseIdList(this.getNodeParameter('galleryIds', '') as string);
		if (galleryIds.length > 0 && !galleryIds.includes(verified.event.entityId)) {
			return ignored('gallery not selected');
		}

		const item = flattenGalleryEvent(verified, eventName);
		// A test URL serves one request and its static data is thrown away, so only live deliveries are tracked.
		if (this.getMode() !== 'manual') {
			const entityKey = item.itemId
				? `item:${String(item.itemId)}`
				: eventName.startsWith('galleryItem')
					? undefined
					: `gallery:${String(item.galleryId)}`;
			const decision = recordDelivery(
				this.getWorkflowStaticData('node'),
				`${String(this.getWorkflow().id)}/${this.getNode().id}`,
				{
					eventId: verified.event.id,
					entityKey,
					eventTime: verified.event.eventTime,
					receivedAt: Date.now(),
					issuedAtWithoutExpiry,
				},
			);
			if (decision.refused) {
				this.logger.warn(
					`Wix Gallery Trigger "${this.getNode().name}" refused a delivery: ${decision.refused}`,
				);
				return unauthorized(this);
			}
			if (decision.duplicate) return ignored('duplicate');
			if (decision.stale && options.skipStaleEvents) return ignored('stale');
			item.stale = decision.stale;
		}

		return { workflowData: [this.helpers.returnJsonArray([item as IDataObject])] };
	}
}
