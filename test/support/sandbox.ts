import { sandboxClient, startSandbox } from '../../sandbox/src';
import type {
	FaultSpec,
	RequestLogEntry,
	SandboxConfig,
	SandboxCredentials,
	SandboxOptions,
	SeedName,
	WebhookDeliveryAttempt,
	WebhookTarget,
} from '../../sandbox/src';

export type {
	FaultSpec,
	RequestLogEntry,
	SandboxCredentials,
	WebhookDeliveryAttempt,
	WebhookTarget,
};

// Captured at load so that tests which swap the global fetch (e.g. to reroute @wix/sdk) keep a working control API.
const nativeFetch = fetch;

export interface SandboxControl {
	reset(seed?: SeedName): Promise<void>;
	requests(): Promise<RequestLogEntry[]>;
	clearRequests(): Promise<void>;
	addFault(fault: FaultSpec): Promise<string>;
	clearFaults(): Promise<void>;
	state<T = Record<string, unknown>>(): Promise<T>;
	setConfig(config: Partial<SandboxConfig>): Promise<SandboxConfig>;
	/** `null` removes the target (events are then dropped). */
	setWebhookTarget(target: WebhookTarget | null): Promise<void>;
	webhooks(): Promise<WebhookDeliveryAttempt[]>;
	/** Resolves once no webhook delivery is pending (retries included). */
	flushWebhooks(timeoutMs?: number): Promise<void>;
	expireTokens(): Promise<number>;
}

export interface TestSandbox {
	baseUrl: string;
	credentials: SandboxCredentials;
	control: SandboxControl;
	close(): Promise<void>;
}

/**
 * How long the sandbox waits for a webhook answer in tests, unless a test sets `webhookTimeoutMs` itself. Wix waits
 * 1,250 ms (the sandbox's default); a busy machine can stall a receiver in the test process for longer than that,
 * which would turn a correct answer into a retry. Tests about the timeout set Wix's figure; how fast receivers
 * answer is measured by `npm run bench`, not by tests.
 */
export const TEST_WEBHOOK_TIMEOUT_MS = 30_000;

/** Starts a quiet sandbox on a free port, with typed wrappers over its `/_sandbox/*` control API. */
export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
	const sandbox = await startSandbox({
		...options,
		port: options.port ?? 0,
		config: { webhookTimeoutMs: TEST_WEBHOOK_TIMEOUT_MS, ...options.config },
	});

	const call = sandboxClient(sandbox.baseUrl, sandbox.credentials, nativeFetch).control;

	const control: SandboxControl = {
		async reset(seed) {
			await call('POST', 'reset', seed === undefined ? {} : { seed });
		},
		requests: () => call<RequestLogEntry[]>('GET', 'requests'),
		async clearRequests() {
			await call('DELETE', 'requests');
		},
		async addFault(fault) {
			return (await call<{ id: string }>('POST', 'faults', fault)).id;
		},
		async clearFaults() {
			await call('DELETE', 'faults');
		},
		state: <T>() => call<T>('GET', 'state'),
		setConfig: (config) => call<SandboxConfig>('PATCH', 'config', config),
		async setWebhookTarget(target) {
			await call('PUT', 'webhook-target', target ?? { url: null });
		},
		webhooks: () => call<WebhookDeliveryAttempt[]>('GET', 'webhooks'),
		async flushWebhooks(timeoutMs) {
			const result = await call<{ flushed: boolean; pending: number }>(
				'POST',
				'webhooks/flush',
				timeoutMs === undefined ? {} : { timeoutMs },
			);
			if (!result.flushed) throw new Error(`${result.pending} webhook deliveries still pending`);
		},
		async expireTokens() {
			return (await call<{ expired: number }>('POST', 'expire-tokens')).expired;
		},
	};

	return {
		baseUrl: sandbox.baseUrl,
		credentials: sandbox.credentials,
		control,
		close: () => sandbox.close(),
	};
}
