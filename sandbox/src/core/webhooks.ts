/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import type { CallerIdentity, SandboxConfig, WixEventInput } from '../context';
import { WixHttpError } from '../errors';
import type { SiteAuth } from './auth';
import { TimerSet } from './timers';

/**
 * Wix webhooks (docs/wix-api.md §5): each event becomes a signed JWT POSTed to the one webhook target, retried on
 * failure, optionally duplicated or delivered out of order, and every attempt is logged for tests.
 */

export interface WebhookTarget {
	url: string;
	/** Deliver every event twice. */
	duplicate?: boolean;
	/** Delay each delivery by a random 0–300 ms so that deliveries overtake each other. */
	outOfOrder?: boolean;
	/** Attempts per delivery including the first (default 4). */
	maxAttempts?: number;
}

export interface WebhookDeliveryAttempt {
	eventId: string;
	eventType: string;
	entityId: string;
	attempt: number;
	/** HTTP status of the receiver's answer; 0 when it did not answer in time or the connection failed. */
	status: number;
	ok: boolean;
	time: string;
	/** 1, or 2 for the second copy of a duplicated event. */
	copy: number;
	error?: string;
}

const WEBHOOK_BACKOFF_MS = [100, 300, 900];
const WEBHOOK_JWT_LIFETIME_SECONDS = 3600;

interface Delivery {
	target: WebhookTarget;
	jwt: string;
	event: WixEventInput;
	eventId: string;
	copy: number;
	generation: number;
}

export class WebhookDispatcher {
	private target: WebhookTarget | null = null;
	private attempts: WebhookDeliveryAttempt[] = [];
	// Bumped on reset/close so that deliveries of an earlier generation stop at their next step.
	private generation = 0;
	private pending = new Set<Promise<void>>();
	private firstAttemptTurn: Promise<void> = Promise.resolve();
	// Cancelled on reset and on close; a cancelled wait never resumes its delivery.
	private readonly timers = new TimerSet();
	private readonly requests = new Set<ClientRequest>();
	private closed = false;

	constructor(
		private readonly auth: SiteAuth,
		private readonly config: SandboxConfig,
		private readonly now: () => number,
		private readonly log: (line: string) => void,
	) {}

	getTarget(): WebhookTarget | null {
		return this.target;
	}

	/** `PUT /_sandbox/webhook-target`: an empty or missing `url` removes the target (events are then dropped). */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a request body, checked here
	setTarget(body: any): WebhookTarget | null {
		if (body.url === null || body.url === undefined || body.url === '') {
			this.target = null;
			return null;
		}
		if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url)) {
			throw new WixHttpError(400, 'url must be an http(s) URL');
		}
		if (
			body.maxAttempts !== undefined &&
			(!Number.isInteger(body.maxAttempts) || body.maxAttempts < 1)
		) {
			throw new WixHttpError(400, 'maxAttempts must be a positive integer');
		}
		this.target = {
			url: body.url,
			duplicate: body.duplicate === true,
			outOfOrder: body.outOfOrder === true,
			maxAttempts: body.maxAttempts ?? 4,
		};
		return this.target;
	}

	attemptLog(): WebhookDeliveryAttempt[] {
		return this.attempts;
	}

	clearAttemptLog(): void {
		this.attempts = [];
	}

	get pendingCount(): number {
		return this.pending.size;
	}

	/** Signs the event and queues its delivery (twice when the target duplicates); a no-op without a target. */
	emit(event: WixEventInput): void {
		const target = this.target;
		if (!target || this.closed) return;
		const eventId = randomUUID();
		const jwt = this.signedEvent(event, eventId);
		const copies = target.duplicate ? 2 : 1;
		for (let copy = 1; copy <= copies; copy++) {
			const delivery = this.deliver({
				target,
				jwt,
				event,
				eventId,
				copy,
				generation: this.generation,
			});
			const pending = this.pending;
			pending.add(delivery);
			void delivery.finally(() => pending.delete(delivery));
		}
	}

	/** Waits until no delivery is pending (retries included); false when `timeoutMs` ran out first. */
	async flush(timeoutMs: number): Promise<boolean> {
		const deadline = Date.now() + timeoutMs;
		while (this.pending.size > 0) {
			if (Date.now() >= deadline) return false;
			const remaining = deadline - Date.now();
			await Promise.race([
				Promise.all(this.pending),
				new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, remaining);
					timer.unref();
				}),
			]);
		}
		return true;
	}

	/** Drops the target, the log and every delivery under way. */
	reset(): void {
		this.stopDeliveries();
		this.pending = new Set();
		this.firstAttemptTurn = Promise.resolve();
		this.target = null;
		this.attempts = [];
	}

	close(): void {
		this.closed = true;
		this.stopDeliveries();
	}

	private stopDeliveries(): void {
		this.generation++;
		this.timers.cancelAll();
		for (const request of this.requests) request.destroy();
		this.requests.clear();
	}

	/** The JWT Wix POSTs: the envelope of §5.3 (`data` and `identity` as strings) in the claims of §5.2. */
	private signedEvent(event: WixEventInput, eventId: string): string {
		const identity: CallerIdentity = event.identity ?? {
			identityType: 'WIX_USER',
			wixUserId: this.auth.ownerUserId,
		};
		const domainEvent: Record<string, unknown> = {
			id: eventId,
			entityFqdn: event.entityFqdn,
			slug: event.slug,
			entityId: event.entityId,
			eventTime: new Date(this.now()).toISOString(),
			triggeredByAnonymizeRequest: false,
		};
		if (event.originatedFrom !== undefined) domainEvent.originatedFrom = event.originatedFrom;
		if (event.createdEvent) domainEvent.createdEvent = event.createdEvent;
		else if (event.updatedEvent) domainEvent.updatedEvent = event.updatedEvent;
		else if (event.deletedEvent) domainEvent.deletedEvent = event.deletedEvent;
		else if (event.actionEvent) domainEvent.actionEvent = event.actionEvent;
		const envelope = {
			eventType: event.eventType,
			instanceId: this.auth.instanceId,
			data: JSON.stringify(domainEvent),
			identity: JSON.stringify(identity),
			// @wix/sdk passes accountInfo through unparsed and types it as an object, unlike data/identity.
			accountInfo: { accountId: this.auth.ownerAccountId, siteId: this.auth.siteId },
		};
		const issuedAt = Math.floor(this.now() / 1000);
		return this.auth.signJwt({
			data: JSON.stringify(envelope),
			iat: issuedAt,
			exp: issuedAt + WEBHOOK_JWT_LIFETIME_SECONDS,
			iss: 'wix.com',
			aud: this.auth.appId,
		});
	}

	private async deliver(delivery: Delivery): Promise<void> {
		const { target, event, eventId, copy, generation } = delivery;
		const stillCurrent = () => !this.closed && generation === this.generation;
		// In order mode, first attempts go out one after another so the receiver sees emit order; retries do not wait.
		let releaseTurn = () => {};
		let previousTurn: Promise<void> = Promise.resolve();
		if (target.outOfOrder) {
			await this.timers.sleep(Math.floor(Math.random() * 300));
		} else {
			previousTurn = this.firstAttemptTurn;
			this.firstAttemptTurn = new Promise<void>((resolve) => (releaseTurn = resolve));
		}
		const maxAttempts = Math.max(1, target.maxAttempts ?? 4);
		for (let attempt = 1; attempt <= maxAttempts; attempt++) {
			if (attempt === 1) await previousTurn;
			if (!stillCurrent()) {
				releaseTurn();
				return;
			}
			const outcome = await this.post(target.url, delivery.jwt);
			if (attempt === 1) releaseTurn();
			if (!stillCurrent()) return;
			const ok = outcome.status >= 200 && outcome.status < 300;
			this.attempts.push({
				eventId,
				eventType: event.eventType,
				entityId: event.entityId,
				attempt,
				status: outcome.status,
				ok,
				time: new Date(this.now()).toISOString(),
				copy,
				...(outcome.error ? { error: outcome.error } : {}),
			});
			this.log(
				`webhook ${event.eventType} ${eventId} attempt ${attempt} → ${outcome.status || outcome.error}`,
			);
			if (ok) return;
			if (attempt < maxAttempts) {
				await this.timers.sleep(
					WEBHOOK_BACKOFF_MS[Math.min(attempt - 1, WEBHOOK_BACKOFF_MS.length - 1)],
				);
			}
		}
	}

	/** One attempt: the JWT as a `text/plain` body; status 0 with an error when there is no answer in time. */
	private post(url: string, jwt: string): Promise<{ status: number; error?: string }> {
		return new Promise((resolve) => {
			let target: URL;
			try {
				target = new URL(url);
			} catch {
				resolve({ status: 0, error: 'invalid webhook URL' });
				return;
			}
			const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
			const body = Buffer.from(jwt);
			const timeoutMs = this.config.webhookTimeoutMs;
			const request = send(
				target,
				{
					method: 'POST',
					headers: {
						'Content-Type': 'text/plain',
						'Content-Length': body.length,
						'User-Agent': 'wix-sandbox-webhooks',
					},
					timeout: timeoutMs,
					// A fresh connection per attempt, so no pooled socket outlives the sandbox.
					agent: false,
				},
				(response) => {
					response.resume();
					response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
					response.on('error', (error) => resolve({ status: 0, error: error.message }));
				},
			);
			request.on('timeout', () => {
				request.destroy(new Error(`no answer within ${timeoutMs} ms`));
			});
			request.on('error', (error) => resolve({ status: 0, error: error.message }));
			request.on('close', () => this.requests.delete(request));
			this.requests.add(request);
			request.end(body);
		});
	}
}
