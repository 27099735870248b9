/* eslint-disable @n8n/community-nodes/no-restricted-imports -- e2e tests run in plain Node against a real n8n, never inside n8n */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import type { FaultSpec, RequestLogEntry, SandboxConfig } from '../../../sandbox/src';
import type { N8nExecution } from './n8n';
import { sandboxControl } from './n8n';
import { borrowWebhookTargets } from './webhooks';

export type { FaultSpec, RequestLogEntry };

/**
 * Plumbing for the fault suite: faults injected through the sandbox's control API, the request log read back to
 * see which responses were faulted, and a tally of what became of every faulted response.
 */

const injectedSpecs = new Map<string, FaultSpec>();

export async function injectFault(spec: FaultSpec): Promise<string> {
	const { id } = await sandboxControl<{ id: string }>('POST', 'faults', spec);
	injectedSpecs.set(id, spec);
	return id;
}

/** Faults still waiting for a matching request (a fault leaves the list once it has hit `count` requests). */
export async function pendingFaults(): Promise<
	Array<FaultSpec & { id: string; remaining: number }>
> {
	return await sandboxControl('GET', 'faults');
}

export async function clearFaults(): Promise<void> {
	await sandboxControl('DELETE', 'faults');
}

export async function requestLog(): Promise<RequestLogEntry[]> {
	return await sandboxControl<RequestLogEntry[]>('GET', 'requests');
}

/** The newest request number so far: requests after it belong to whatever runs next. */
export async function requestMark(): Promise<number> {
	const log = await requestLog();
	return log.length === 0 ? 0 : log[log.length - 1].seq;
}

export async function requestsSince(mark: number): Promise<RequestLogEntry[]> {
	return (await requestLog()).filter((entry) => entry.seq > mark);
}

/**
 * Responses the suite faulted: answered or delayed by an injected fault (the sandbox marks those), or refused
 * because the suite expired the access token (401) or the download URL (410). Nothing else in these scenarios
 * answers 401 or 410.
 */
export function faulted(entries: RequestLogEntry[]): RequestLogEntry[] {
	return entries.filter(
		(entry) => entry.fault !== undefined || entry.status === 401 || entry.status === 410,
	);
}

const ROUTE_LABELS: Array<[RegExp, string]> = [
	[/^\/oauth2\/token$/, 'token'],
	[/^\/pro-?gallery\/v2\/galleries$/, 'galleries'],
	[/^\/pro-?gallery\/v2\/galleries\/[^/]+\/items$/, 'items'],
	[/^\/site-media\/v1\/files\/import$/, 'import'],
	[/^\/site-media\/v1\/files\/get-file-by-id$/, 'file'],
	[/^\/media\/[^/]+$/, 'media'],
	[/^\/shared-gallery\/v1\/items\/query$/, 'query'],
	[/^\/shared-gallery\/v1\/items\/download-url$/, 'download-url'],
	[/^\/shared-gallery-files\/download\/[^/]+$/, 'archive'],
	[/^\/external\/v1\/media$/, 'platform-media'],
];

/** `GET items 503 (fault)`: what a request was, with its ids left out, and what it got. */
export function describeRequest(entry: RequestLogEntry): string {
	const label = ROUTE_LABELS.find(([pattern]) => pattern.test(entry.path))?.[1] ?? entry.path;
	return `${entry.method} ${label} ${entry.status}${entry.fault ? ' (fault)' : ''}`;
}

export function describeRequests(entries: RequestLogEntry[]): string[] {
	return entries.map(describeRequest).sort();
}

/** Requests that reached the sandbox's handler: not answered by an injected fault (a delay still lets through). */
export function reachedHandler(entries: RequestLogEntry[]): RequestLogEntry[] {
	return entries.filter((entry) => !entry.fault || !injectedSpecs.get(entry.fault)?.status);
}

/** Changes the sandbox's config and returns a function that puts the previous values back. */
export async function patchSandboxConfig(
	patch: Partial<SandboxConfig>,
): Promise<() => Promise<void>> {
	const before = await sandboxControl<SandboxConfig>('GET', 'config');
	await sandboxControl('PATCH', 'config', patch);
	const previous: Partial<SandboxConfig> = {};
	for (const key of Object.keys(patch) as Array<keyof SandboxConfig>) {
		(previous as Record<string, unknown>)[key] = before[key];
	}
	return async () => {
		await sandboxControl('PATCH', 'config', previous);
	};
}

export async function expireTokens(): Promise<number> {
	const { expired } = await sandboxControl<{ expired: number }>('POST', 'expire-tokens');
	return expired;
}

export interface ExternalMedia {
	id: string;
	caption: string;
	size: number;
	sha256: string;
	mimeType: string;
	sourceId?: string | null;
}

export async function externalMedia(): Promise<ExternalMedia[]> {
	return await sandboxControl<ExternalMedia[]>('GET', 'external/media');
}

/** Waits until neither the Wix webhooks nor the platform's notifications have a delivery pending. */
export async function settleDeliveries(): Promise<void> {
	await sandboxControl('POST', 'webhooks/flush', { timeoutMs: 60000 });
	await sandboxControl('POST', 'external/webhooks/flush');
}

/**
 * Switches off the Wix webhooks and the platform's notifications, so that a manual run's writes start no
 * execution of example 2. `restore()` puts the set-up's targets back.
 */
export async function silenceWebhooks(): Promise<{ restore(): Promise<void> }> {
	await settleDeliveries();
	return await borrowWebhookTargets(null);
}

/** What n8n recorded about a failed execution: the error, its description, and the node it came from. */
export function executionFailure(execution: N8nExecution): {
	message: string;
	description: string;
	node: string | undefined;
	httpCode: string | undefined;
} {
	const error = execution.data?.resultData.error as
		| {
				message?: string;
				description?: string | null;
				httpCode?: string | null;
				node?: { name?: string };
		  }
		| undefined;
	return {
		message: error?.message ?? '',
		description: error?.description ?? '',
		node: error?.node?.name ?? execution.data?.resultData.lastNodeExecuted,
		httpCode: error?.httpCode ?? undefined,
	};
}

export type FaultOutcome = 'recovered' | 'surfaced';

interface TallyRow {
	scenario: string;
	outcome: FaultOutcome;
	faults: string[];
	/** For surfaced faults: the error message n8n recorded for the execution. */
	error?: string;
}

/**
 * What became of every faulted response: recovered (the workflow still produced the right result) or surfaced
 * (it ended in a clear error). Injected faults are counted apart, from the request log over the whole file, so
 * that a faulted response no scenario accounted for shows up as a mismatch.
 */
export class FaultTally {
	readonly rows: TallyRow[] = [];

	record(
		scenario: string,
		outcome: FaultOutcome,
		entries: RequestLogEntry[],
		error?: string,
	): void {
		this.rows.push({ scenario, outcome, faults: describeRequests(entries), error });
	}

	count(outcome: FaultOutcome): number {
		return this.rows
			.filter((row) => row.outcome === outcome)
			.reduce((sum, row) => sum + row.faults.length, 0);
	}

	table(injected: number): string {
		const width = Math.max(8, ...this.rows.map((row) => row.scenario.length));
		const lines = [
			`${'scenario'.padEnd(width)}  outcome    faults`,
			...this.rows.flatMap((row) => [
				`${row.scenario.padEnd(width)}  ${row.outcome.padEnd(9)}  ${row.faults.length}`,
				...(row.error ? [`${''.padEnd(width)}  ↳ ${row.error}`] : []),
			]),
			`${'-'.repeat(width + 19)}`,
			`injected ${injected}, recovered ${this.count('recovered')}, surfaced ${this.count('surfaced')}`,
		];
		return lines.join('\n');
	}

	write(file: string, injected: number, injectedFaults: string[]): void {
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(
			file,
			`${JSON.stringify(
				{
					injected,
					recovered: this.count('recovered'),
					surfaced: this.count('surfaced'),
					injectedFaults,
					scenarios: this.rows,
				},
				null,
				'\t',
			)}\n`,
		);
	}
}
