/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run in plain Node and open raw proxy tunnels */
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/**
 * An HTTPS request through an HTTP CONNECT proxy, done by hand the way a proxy agent does it (CONNECT, then TLS inside
 * the tunnel with the target's name for SNI and verification), so that the sandbox's platform proxy is tested
 * without a proxy library. `ca` replaces Node's trusted roots (undefined: Node's defaults).
 */

export interface ProxiedAnswer {
	status: number;
	headers: IncomingMessage['headers'];
	body: Buffer;
}

export async function connectThroughProxy(
	proxyUrl: string,
	target: string,
): Promise<{ status: number; socket: Socket; body: string }> {
	const proxy = new URL(proxyUrl);
	const connect = httpRequest({
		host: proxy.hostname,
		port: proxy.port,
		method: 'CONNECT',
		path: target,
		headers: { host: target },
	});
	connect.end();
	const [response, socket, head] = (await once(connect, 'connect')) as [
		IncomingMessage,
		Socket,
		Buffer,
	];
	let body = '';
	if (response.statusCode !== 200) {
		// A refusal is a whole HTTP answer: the body's first bytes came with the head, the rest follows on the socket.
		const chunks: Buffer[] = [head];
		for await (const chunk of socket) chunks.push(chunk as Buffer);
		body = Buffer.concat(chunks).toString('utf8');
	}
	return { status: response.statusCode ?? 0, socket, body };
}

export async function requestThroughProxy(
	proxyUrl: string,
	url: string,
	{
		method = 'GET',
		headers = {},
		body,
		ca,
	}: {
		method?: string;
		headers?: Record<string, string>;
		body?: Buffer | string;
		ca?: string;
	} = {},
): Promise<ProxiedAnswer> {
	const target = new URL(url);
	const tunnel = await connectThroughProxy(proxyUrl, `${target.hostname}:${target.port || 443}`);
	if (tunnel.status !== 200) {
		tunnel.socket.destroy();
		throw new Error(`CONNECT answered ${tunnel.status}: ${tunnel.body}`);
	}
	const request = httpsRequest({
		host: target.hostname,
		path: `${target.pathname}${target.search}`,
		method,
		headers:
			body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
		// No agent: the request goes over this one TLS socket inside the tunnel.
		createConnection: () =>
			tlsConnect({ socket: tunnel.socket, servername: target.hostname, ...(ca ? { ca } : {}) }),
	});
	request.end(body);
	const [response] = (await once(request, 'response')) as [IncomingMessage];
	const chunks: Buffer[] = [];
	for await (const chunk of response) chunks.push(chunk as Buffer);
	tunnel.socket.destroy();
	return {
		status: response.statusCode ?? 0,
		headers: response.headers,
		body: Buffer.concat(chunks),
	};
}
