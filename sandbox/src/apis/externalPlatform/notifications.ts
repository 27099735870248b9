/* eslint-disable @n8n/community-nodes/no-restricted-globals -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import { platformError } from './types';
import type { ExternalDelivery, ExternalEvent, ExternalEventName, ExternalMedia } from './types';

/**
 * The platform's change notifications: a JSON POST per change to one webhook target, one at a time and in order,
 * retried up to `maxAttempts`; every attempt is logged for tests. A reset drops whatever is still queued.
 */
export class PlatformNotifications {
	private target: { url: string; maxAttempts: number } | null = null;
	private deliveries: ExternalDelivery[] = [];
	private chain: Promise<void> = Promise.resolve();
	private generation = 0;

	constructor(private readonly now: () => number) {}

	getTarget(): { url: string; maxAttempts: number } | null {
		return this.target;
	}

	/** `null` (or no `url`) stops notifications; `maxAttempts` defaults to 1. */
	setTarget(body: { url?: unknown; maxAttempts?: unknown }) {
		if (body.url === null || body.url === undefined) {
			this.target = null;
		} else if (typeof body.url === 'string' && /^https?:\/\//.test(body.url)) {
			const maxAttempts =
				typeof body.maxAttempts === 'number' ? Math.max(1, Math.floor(body.maxAttempts)) : 1;
			this.target = { url: body.url, maxAttempts };
		} else {
			throw platformError(400, 'bad_request', 'url must be an http(s) URL or null');
		}
		return this.target;
	}

	attempts(): ExternalDelivery[] {
		return this.deliveries;
	}

	notify(event: ExternalEventName, media: ExternalMedia): void {
		if (!this.target) return;
		const target = this.target;
		const payload: ExternalEvent = {
			event,
			media,
			id: media.id,
			occurredAt: new Date(this.now()).toISOString(),
		};
		const queuedIn = this.generation;
		this.chain = this.chain.then(async () => {
			for (
				let attempt = 1;
				attempt <= target.maxAttempts && queuedIn === this.generation;
				attempt++
			) {
				const record = await this.post(target.url, payload, attempt);
				if (queuedIn === this.generation) this.deliveries.push(record);
				if (record.status !== null && record.status < 300) return;
				if (attempt < target.maxAttempts)
					await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
			}
		});
	}

	/** Resolves once every queued delivery has been attempted, including ones queued meanwhile. */
	async flush(): Promise<void> {
		let chain: Promise<void>;
		do {
			chain = this.chain;
			await chain;
		} while (chain !== this.chain);
	}

	reset(): void {
		this.generation++;
		this.target = null;
		this.deliveries = [];
	}

	private async post(
		url: string,
		payload: ExternalEvent,
		attempt: number,
	): Promise<ExternalDelivery> {
		const record: ExternalDelivery = {
			event: payload.event,
			id: payload.id,
			url,
			attempt,
			status: null,
			deliveredAt: new Date(this.now()).toISOString(),
		};
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'X-External-Event': payload.event },
				body: JSON.stringify(payload),
				signal: AbortSignal.timeout(5000),
			});
			await response.arrayBuffer();
			record.status = response.status;
		} catch (error) {
			record.error = error instanceof Error ? error.message : String(error);
		}
		return record;
	}
}
