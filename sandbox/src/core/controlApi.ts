import type { RouteDefinition, SandboxConfig, SandboxModule, SeedName } from '../context';
import type { SiteAuth, SandboxCredentials } from './auth';
import { parseSeed, validateConfigPatch } from './config';
import type { FaultInjector, FaultSpec } from './faults';
import type { RequestLog } from './requestLog';
import type { WebhookDispatcher } from './webhooks';

/**
 * The core's control API (`/_sandbox/...`, README.md): health, reset, credentials, config, webhook target and
 * deliveries, faults, the request log, module state and token expiry. Control routes are never authenticated,
 * faulted or logged. Modules add their own control routes under `/_sandbox/<module>/`.
 */

export interface ControlledSandbox {
	config: SandboxConfig;
	initialSeed: SeedName;
	modules: SandboxModule[];
	auth: SiteAuth;
	webhooks: WebhookDispatcher;
	faults: FaultInjector;
	requestLog: RequestLog;
	baseUrl(): string;
	credentials(): SandboxCredentials;
	/** Drops all state (core and modules) and seeds the modules again. */
	reset(seed: SeedName): void;
}

export function controlRoutes(sandbox: ControlledSandbox): RouteDefinition[] {
	const { config, modules, webhooks, faults, requestLog } = sandbox;
	return [
		{
			method: 'GET',
			path: '/_sandbox/health',
			handler: () => ({
				body: {
					ok: true,
					baseUrl: sandbox.baseUrl(),
					modules: modules.map((module) => module.name),
				},
			}),
		},
		{
			method: 'POST',
			path: '/_sandbox/reset',
			handler: (req) => {
				const seed = parseSeed(req.json().seed, sandbox.initialSeed);
				sandbox.reset(seed);
				return { body: { ok: true, seed } };
			},
		},
		{
			method: 'GET',
			path: '/_sandbox/credentials',
			handler: () => ({ body: sandbox.credentials() }),
		},
		{ method: 'GET', path: '/_sandbox/config', handler: () => ({ body: config }) },
		{
			method: 'PATCH',
			path: '/_sandbox/config',
			handler: (req) => {
				Object.assign(config, validateConfigPatch(req.json()));
				return { body: config };
			},
		},
		...webhookRoutes(webhooks),
		...faultRoutes(faults),
		{ method: 'GET', path: '/_sandbox/requests', handler: () => ({ body: requestLog.list() }) },
		{
			method: 'DELETE',
			path: '/_sandbox/requests',
			handler: () => {
				requestLog.clear();
				return { body: { ok: true } };
			},
		},
		{
			method: 'GET',
			path: '/_sandbox/state',
			handler: () => ({
				body: Object.fromEntries(modules.map((module) => [module.name, module.dump()])),
			}),
		},
		{
			method: 'POST',
			path: '/_sandbox/expire-tokens',
			handler: () => ({ body: { expired: sandbox.auth.expireTokens() } }),
		},
	];
}

function webhookRoutes(webhooks: WebhookDispatcher): RouteDefinition[] {
	return [
		{
			method: 'GET',
			path: '/_sandbox/webhook-target',
			handler: () => ({ body: { target: webhooks.getTarget() } }),
		},
		{
			method: 'PUT',
			path: '/_sandbox/webhook-target',
			handler: (req) => ({ body: { target: webhooks.setTarget(req.json()) } }),
		},
		{ method: 'GET', path: '/_sandbox/webhooks', handler: () => ({ body: webhooks.attemptLog() }) },
		{
			method: 'DELETE',
			path: '/_sandbox/webhooks',
			handler: () => {
				webhooks.clearAttemptLog();
				return { body: { ok: true } };
			},
		},
		{
			method: 'POST',
			path: '/_sandbox/webhooks/flush',
			handler: async (req) => {
				const timeoutMs = Number(req.json().timeoutMs ?? 30000);
				const flushed = await webhooks.flush(Number.isFinite(timeoutMs) ? timeoutMs : 30000);
				return { body: { flushed, pending: webhooks.pendingCount } };
			},
		},
	];
}

function faultRoutes(faults: FaultInjector): RouteDefinition[] {
	return [
		{ method: 'GET', path: '/_sandbox/faults', handler: () => ({ body: faults.list() }) },
		{
			method: 'POST',
			path: '/_sandbox/faults',
			handler: (req) => ({ body: { id: faults.add(req.json() as FaultSpec) } }),
		},
		{
			method: 'DELETE',
			path: '/_sandbox/faults',
			handler: () => {
				faults.clear();
				return { body: { ok: true } };
			},
		},
	];
}
