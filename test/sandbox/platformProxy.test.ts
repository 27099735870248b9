/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run in plain Node and check certificates with node:crypto */
import { X509Certificate } from 'node:crypto';

import { createCertificateAuthority } from '../../sandbox/src';
import type { ProxyDescription } from '../../sandbox/src';
import { connectThroughProxy, requestThroughProxy } from '../support/platformProxy';
import { startTestSandbox } from '../support/sandbox';
import type { TestSandbox } from '../support/sandbox';

// The platform proxy: its CA and certificates (X.509 written by hand, checked by node:crypto and OpenSSL's TLS
// verification), and the CONNECT tunnel that serves https://api.linkedin.com and https://graph.facebook.com from the
// sandbox's emulations, and refuses every other host.

describe('sandbox certificate authority', () => {
	const authority = createCertificateAuthority();
	const server = authority.issueServerCertificate(['api.linkedin.com', 'graph.facebook.com']);

	test('the CA certificate is a self-signed CA that node:crypto parses', () => {
		const ca = new X509Certificate(authority.certPem);
		expect(ca.ca).toBe(true);
		expect(ca.subject).toBe(ca.issuer);
		expect(ca.verify(ca.publicKey)).toBe(true);
		expect(Date.parse(ca.validFrom)).toBeLessThan(Date.now());
		expect(Date.parse(ca.validTo)).toBeGreaterThan(Date.now() + 300 * 24 * 3600 * 1000);
	});

	test('a server certificate is signed by the CA, for exactly its host names, for server authentication', () => {
		const ca = new X509Certificate(authority.certPem);
		expect(server.x509.ca).toBe(false);
		expect(server.x509.checkIssued(ca)).toBe(true);
		expect(server.x509.verify(ca.publicKey)).toBe(true);
		expect(server.x509.verify(server.x509.publicKey)).toBe(false);
		expect(server.x509.subjectAltName).toBe('DNS:api.linkedin.com, DNS:graph.facebook.com');
		expect(server.x509.checkHost('graph.facebook.com')).toBe('graph.facebook.com');
		expect(server.x509.checkHost('www.facebook.com')).toBeUndefined();
		// Extended key usage (node:crypto calls it keyUsage before Node 24, extKeyUsage after).
		const extended = server.x509 as unknown as { keyUsage?: string[]; extKeyUsage?: string[] };
		expect(extended.extKeyUsage ?? extended.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
		expect(server.x509.serialNumber).toMatch(/^[0-9A-F]{32}$/);
	});

	test('another CA does not verify the certificate', () => {
		const other = createCertificateAuthority();
		expect(server.x509.checkIssued(other.x509)).toBe(false);
		expect(server.x509.verify(other.x509.publicKey)).toBe(false);
	});

	test('dates after 2049 are written as GeneralizedTime, as RFC 5280 requires', () => {
		const late = createCertificateAuthority({
			now: new Date('2049-12-31T00:00:00Z'),
			validDays: 30,
		});
		expect(late.x509.validTo).toBe('Jan 30 00:00:00 2050 GMT');
		expect(late.x509.validFrom).toBe('Dec 30 23:00:00 2049 GMT');
	});
});

describe('sandbox platform proxy', () => {
	let sandbox: TestSandbox;
	let proxy: ProxyDescription;
	let linkedInToken: string;

	beforeAll(async () => {
		sandbox = await startTestSandbox({ seed: 'empty' });
		proxy = (await (await fetch(`${sandbox.baseUrl}/_sandbox/proxy`)).json()) as ProxyDescription;
		linkedInToken = (
			(await (await fetch(`${sandbox.baseUrl}/_sandbox/linkedin`)).json()) as {
				accessToken: string;
			}
		).accessToken;
	});

	afterAll(async () => {
		await sandbox?.close();
	});

	test('describes itself: the proxy URL is the sandbox, the hosts it answers for, the CA to trust', () => {
		expect(proxy.proxyUrl).toBe(sandbox.baseUrl);
		expect(proxy.hosts).toEqual({
			'api.telegram.org': '/telegram',
			'api.linkedin.com': '/linkedin',
			'www.linkedin.com': '/linkedin',
			'graph.facebook.com': '/graph',
			'api.external-gallery.example': '/external',
		});
		expect(new X509Certificate(proxy.caCertPem).ca).toBe(true);
	});

	test('a request to https://api.linkedin.com through the tunnel reaches the LinkedIn emulation over verified TLS', async () => {
		const answer = await requestThroughProxy(
			proxy.proxyUrl,
			'https://api.linkedin.com/v2/userinfo',
			{
				headers: { authorization: `Bearer ${linkedInToken}` },
				ca: proxy.caCertPem,
			},
		);
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.body.toString('utf8'))).toMatchObject({ sub: 'Sandb0xMemb3r' });
		// The request went through the gateway like any other: it is in the request log, under the host's prefix.
		const logged = await sandbox.control.requests();
		expect(logged.map((entry) => entry.path)).toContain('/linkedin/v2/userinfo');
	});

	test('https://api.external-gallery.example through the tunnel is the external platform, with its bearer token', async () => {
		const { token } = (await (
			await fetch(`${sandbox.baseUrl}/_sandbox/external/credentials`)
		).json()) as {
			token: string;
		};
		const listed = await requestThroughProxy(
			proxy.proxyUrl,
			'https://api.external-gallery.example/v1/media',
			{ headers: { authorization: `Bearer ${token}` }, ca: proxy.caCertPem },
		);
		expect(listed.status).toBe(200);
		expect(JSON.parse(listed.body.toString('utf8'))).toMatchObject({ items: expect.any(Array) });
		const logged = await sandbox.control.requests();
		expect(logged.map((entry) => entry.path)).toContain('/external/v1/media');
		// Without the token the platform answers as it does directly: 401.
		const anonymous = await requestThroughProxy(
			proxy.proxyUrl,
			'https://api.external-gallery.example/v1/media',
			{ ca: proxy.caCertPem },
		);
		expect(anonymous.status).toBe(401);
	});

	test('the upload URL LinkedIn hands out through the proxy is on www.linkedin.com, and the image records the proxy host', async () => {
		const headers = {
			authorization: `Bearer ${linkedInToken}`,
			'linkedin-version': '202604',
			'content-type': 'application/json',
		};
		const registered = await requestThroughProxy(
			proxy.proxyUrl,
			'https://api.linkedin.com/rest/images?action=initializeUpload',
			{
				method: 'POST',
				headers,
				body: JSON.stringify({ initializeUploadRequest: { owner: 'urn:li:person:Sandb0xMemb3r' } }),
				ca: proxy.caCertPem,
			},
		);
		expect(registered.status).toBe(200);
		const { value } = JSON.parse(registered.body.toString('utf8')) as {
			value: { uploadUrl: string; image: string };
		};
		expect(value.uploadUrl).toMatch(/^https:\/\/www\.linkedin\.com\/dms-uploads\//);
		const { readSandboxAsset } = await import('../../sandbox/src');
		const uploaded = await requestThroughProxy(proxy.proxyUrl, value.uploadUrl, {
			method: 'PUT',
			headers: { authorization: `Bearer ${linkedInToken}`, 'content-type': 'image/jpeg' },
			body: readSandboxAsset('sample.jpg'),
			ca: proxy.caCertPem,
		});
		expect(uploaded.status).toBe(201);
		const state = (await (await fetch(`${sandbox.baseUrl}/_sandbox/linkedin`)).json()) as {
			images: Array<{ urn: string; via: string | null; status: string }>;
		};
		expect(state.images.find((image) => image.urn === value.image)).toMatchObject({
			via: 'api.linkedin.com',
			status: 'AVAILABLE',
		});
	});

	test('without the sandbox CA the TLS handshake fails: nothing trusts it by accident', async () => {
		await expect(
			requestThroughProxy(proxy.proxyUrl, 'https://graph.facebook.com/v25.0/me'),
		).rejects.toThrow(/issuer|self[- ]signed|verify/i);
	});

	test.each([
		['a host no emulation stands in for', 'example.com:443'],
		['a real-looking host of another platform', 'www.facebook.com:443'],
		['an emulated host on another port', 'api.linkedin.com:80'],
		['the sandbox itself', '127.0.0.1:443'],
	])('refuses a CONNECT to %s with 403', async (_case, target) => {
		const tunnel = await connectThroughProxy(proxy.proxyUrl, target);
		expect(tunnel.status).toBe(403);
		expect(tunnel.body).toContain('only tunnels to');
	});

	test('refuses a plain-HTTP proxy request (absolute URL) instead of serving it from the sandbox', async () => {
		const { request } = await import('node:http');
		const url = new URL(sandbox.baseUrl);
		const status = await new Promise<number>((resolve, reject) => {
			const req = request(
				{ host: url.hostname, port: url.port, path: 'http://example.com/_sandbox/health' },
				(res) => {
					res.resume();
					resolve(res.statusCode ?? 0);
				},
			);
			req.on('error', reject);
			req.end();
		});
		expect(status).toBe(403);
	});

	test('close() ends open tunnels', async () => {
		const other = await startTestSandbox({ seed: 'empty' });
		const tunnel = await connectThroughProxy(other.baseUrl, 'graph.facebook.com:443');
		expect(tunnel.status).toBe(200);
		const closed = new Promise((resolve) => tunnel.socket.once('close', resolve));
		await other.close();
		await closed;
		expect(tunnel.socket.destroyed).toBe(true);
	});
});
