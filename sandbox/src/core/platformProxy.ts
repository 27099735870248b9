/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox is a dev tool that runs in plain Node, never inside n8n */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';

import { createCertificateAuthority } from '../lib/certificateAuthority';
import type { CertificateAuthority } from '../lib/certificateAuthority';

/**
 * The platform proxy: an HTTP CONNECT proxy on the sandbox's own port, for clients whose target host is fixed
 * (n8n's LinkedIn node calls https://api.linkedin.com, its Facebook Graph API node https://graph.facebook.com).
 * Point such a client at it with `HTTPS_PROXY=<sandbox base URL>` and make it trust the sandbox's CA
 * (`NODE_EXTRA_CA_CERTS`, `GET /_sandbox/proxy` gives the PEM): a CONNECT to a host that a module declares in
 * `publicHosts` is answered 200, TLS is terminated with a certificate the sandbox's CA signed for that host, and each
 * request inside goes through the sandbox's gateway under the module's path prefix (`https://graph.facebook.com/v25.0/me`
 * → `/graph/v25.0/me`), so it is logged and faultable like any other. A CONNECT to any other host is refused (403):
 * nothing is ever forwarded to the internet.
 */

export interface ProxyDescription {
	/** What to put in `HTTPS_PROXY`. */
	proxyUrl: string;
	/** Hosts tunnelled into the sandbox, with the path prefix their requests are served under. */
	hosts: Record<string, string>;
	/** The CA certificate (PEM) to trust, e.g. through `NODE_EXTRA_CA_CERTS`. */
	caCertPem: string;
}

export interface PlatformProxy {
	/** The `connect` listener of the sandbox's HTTP server. */
	handleConnect(req: IncomingMessage, socket: Duplex, head: Buffer): void;
	describe(baseUrl: string): ProxyDescription;
	close(): void;
}

/** Requests that came in through the proxy, with the public host they were sent to. */
const proxiedRequests = new WeakMap<IncomingMessage, string>();

/** The public host (e.g. `graph.facebook.com`) a request was sent to through the proxy; null for a direct call. */
export function proxiedHost(raw: IncomingMessage): string | null {
	return proxiedRequests.get(raw) ?? null;
}

function refuse(socket: Duplex, status: string, reason: string): void {
	socket.end(
		`HTTP/1.1 ${status}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\nConnection: close\r\n\r\n${reason}`,
	);
}

export function createPlatformProxy(options: {
	hosts: Record<string, string>;
	dispatch: (raw: IncomingMessage, res: ServerResponse) => void;
	log: (line: string) => void;
	authority?: CertificateAuthority;
}): PlatformProxy {
	const hosts = Object.fromEntries(
		Object.entries(options.hosts).map(([host, prefix]) => [host.toLowerCase(), prefix]),
	);
	const hostNames = Object.keys(hosts);
	const authority = options.authority ?? createCertificateAuthority();
	const tunnels = new Set<Duplex>();

	// One certificate for every host (subjectAltName lists them all); no listening socket: CONNECT tunnels are handed
	// to it as connections.
	const server =
		hostNames.length > 0
			? (() => {
					const certificate = authority.issueServerCertificate(hostNames);
					return createHttpsServer(
						{ key: certificate.keyPem, cert: certificate.certPem },
						(raw: IncomingMessage, res: ServerResponse) => {
							// The tunnel's TLS server name (SNI) is the host the client connected to; Host only if it sent none.
							const socket = raw.socket as TLSSocket & { servername?: string | false };
							const host = String(
								(typeof socket.servername === 'string' && socket.servername) ||
									raw.headers.host ||
									'',
							)
								.replace(/:443$/, '')
								.toLowerCase();
							const prefix = hosts[host];
							if (prefix === undefined) {
								res.writeHead(421, { 'Content-Type': 'text/plain' });
								res.end(`The sandbox does not answer for ${host}`);
								return;
							}
							proxiedRequests.set(raw, host);
							raw.url = `${prefix}${raw.url ?? '/'}`;
							options.dispatch(raw, res);
						},
					);
				})()
			: undefined;
	server?.on('tlsClientError', (error) => options.log(`proxy TLS error: ${error.message}`));

	return {
		handleConnect(req, socket, head) {
			const target = /^\[?([^\]]+?)\]?:(\d+)$/.exec(req.url ?? '');
			const host = target?.[1].toLowerCase() ?? '';
			if (!server || !target || target[2] !== '443' || hosts[host] === undefined) {
				options.log(`proxy: CONNECT ${req.url} refused`);
				refuse(
					socket,
					'403 Forbidden',
					`The sandbox proxy only tunnels to ${hostNames.join(', ') || 'no host'} (port 443)`,
				);
				return;
			}
			options.log(`proxy: CONNECT ${req.url}`);
			tunnels.add(socket);
			socket.once('close', () => tunnels.delete(socket));
			socket.on('error', () => socket.destroy());
			socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head.length > 0) socket.unshift(head);
			server.emit('connection', socket);
		},
		describe(baseUrl) {
			return { proxyUrl: baseUrl, hosts: { ...hosts }, caCertPem: authority.certPem };
		},
		close() {
			for (const socket of tunnels) socket.destroy();
			tunnels.clear();
			server?.close();
		},
	};
}
