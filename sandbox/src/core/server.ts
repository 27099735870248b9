/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { defaultModules } from '../apis';
import type { SandboxConfig, SandboxContext, SandboxModule, SeedName } from '../context';
import { SiteAuth, oauthRoutes } from './auth';
import type { SandboxCredentials } from './auth';
import { DEFAULT_CONFIG } from './config';
import { controlRoutes } from './controlApi';
import { FaultInjector } from './faults';
import { handleRequest } from './gateway';
import type { Gateway } from './gateway';
import { createPlatformProxy } from './platformProxy';
import { RequestLog } from './requestLog';
import { Router, addRoutes } from './routing';
import { TimerSet } from './timers';
import { WebhookDispatcher } from './webhooks';

export interface SandboxOptions {
	host?: string;
	/** 0 = any free port; default 5880. */
	port?: number;
	seed?: SeedName;
	config?: Partial<SandboxConfig>;
	/** Default: `defaultModules()`. */
	modules?: SandboxModule[];
	log?: (line: string) => void;
}

export interface RunningSandbox {
	baseUrl: string;
	credentials: SandboxCredentials;
	close(): Promise<void>;
}

/**
 * Starts the Wix sandbox: one HTTP server for the module routes (authenticated, faultable, logged like Wix's REST
 * gateway) and the `/_sandbox/*` control API.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
	const host = options.host ?? '127.0.0.1';
	const initialSeed: SeedName = options.seed ?? 'default';
	const initialConfig: SandboxConfig = { ...DEFAULT_CONFIG, ...options.config };
	const log = options.log ?? (() => {});
	const modules = options.modules ?? defaultModules();

	const config: SandboxConfig = { ...initialConfig };
	const now = () => Date.now();
	const auth = new SiteAuth(config, now);
	const webhooks = new WebhookDispatcher(auth, config, now, log);
	const faults = new FaultInjector();
	const requestLog = new RequestLog(() => auth.secrets(), now);
	const router = new Router();
	const requestTimers = new TimerSet();
	let listeningUrl = '';
	let closed = false;

	const ctx: SandboxContext = {
		route: (method, pattern, handler, routeOptions) =>
			router.add(method, pattern, handler, routeOptions),
		config,
		baseUrl: () => listeningUrl,
		now,
		newId: () => randomUUID(),
		emit: (event) => webhooks.emit(event),
		module<T extends SandboxModule>(name: string): T {
			const found = modules.find((candidate) => candidate.name === name);
			if (!found) throw new Error(`sandbox module not loaded: ${name}`);
			return found as T;
		},
	};

	function reset(seed: SeedName): void {
		webhooks.reset();
		Object.assign(config, initialConfig);
		auth.reset();
		faults.clear();
		requestLog.clear();
		for (const module of modules) module.reset(ctx, seed);
	}
	const credentials = () => auth.credentials(listeningUrl);

	addRoutes(ctx, oauthRoutes(auth));
	addRoutes(
		ctx,
		controlRoutes({
			config,
			initialSeed,
			modules,
			auth,
			webhooks,
			faults,
			requestLog,
			baseUrl: () => listeningUrl,
			credentials,
			reset,
		}),
	);
	for (const module of modules) module.register(ctx);

	const gateway: Gateway = {
		router,
		auth,
		faults,
		requestLog,
		requestTimers,
		isClosed: () => closed,
		log,
	};
	const dispatch = (raw: IncomingMessage, res: ServerResponse) => {
		handleRequest(gateway, raw, res).catch((error: unknown) => {
			log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
			if (!res.writableEnded) {
				res.statusCode = 500;
				res.end();
			}
		});
	};
	const proxy = createPlatformProxy({
		hosts: Object.assign({}, ...modules.map((module) => module.publicHosts ?? {})),
		dispatch,
		log,
	});
	addRoutes(ctx, [
		{
			method: 'GET',
			path: '/_sandbox/proxy',
			handler: () => ({ body: proxy.describe(listeningUrl) }),
		},
	]);
	const server = createServer((raw, res) => {
		// An absolute-form request is a plain-HTTP proxy request: the sandbox only tunnels HTTPS (CONNECT).
		if (!(raw.url ?? '/').startsWith('/')) {
			res.writeHead(403, { 'Content-Type': 'text/plain' });
			res.end('The sandbox proxy only tunnels HTTPS (CONNECT)');
			return;
		}
		dispatch(raw, res);
	});
	server.on('connect', proxy.handleConnect);
	// Keep-alive sockets from test clients must not hold `close()` open.
	server.keepAliveTimeout = 1000;
	listeningUrl = await listen(server, options.port ?? 5880, host);

	// Seeded only now, so that seeds can build URLs from ctx.baseUrl().
	let seeded = false;
	try {
		reset(initialSeed);
		seeded = true;
	} finally {
		// A module whose seed throws must not leave the port taken.
		if (!seeded) server.close();
	}

	return {
		baseUrl: listeningUrl,
		credentials: credentials(),
		async close() {
			if (closed) return;
			closed = true;
			webhooks.close();
			requestTimers.cancelAll();
			proxy.close();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}

/** Listens and answers the sandbox's origin; a wildcard host is reached through 127.0.0.1. */
async function listen(server: Server, port: number, host: string): Promise<string> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address() as AddressInfo;
	const publicHost =
		host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
	return `http://${publicHost}:${address.port}`;
}
