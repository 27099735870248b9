/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test code runs in plain Node, never inside n8n */
import { spawn } from 'node:child_process';

/** `npm run sandbox` as the README gives it: builds the sandbox, starts it, prints its base URL, serves Wix. */
test('npm run sandbox builds, serves the seeded demo site, and stops on Ctrl-C', async () => {
	const child = spawn('npm', ['run', '--silent', 'sandbox', '--', '--port', '0'], {
		cwd: process.cwd(),
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
		child.on('exit', (code, signal) => resolve({ code, signal })),
	);
	try {
		const baseUrl = await new Promise<string>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no base URL printed:\n${output}`)), 90_000);
			child.stdout.on('data', () => {
				const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
				if (match) {
					clearTimeout(timer);
					resolve(match[1]);
				}
			});
			void exited.then(({ code }) =>
				reject(new Error(`exited with ${code} before serving:\n${output}`)),
			);
		});

		expect(await (await fetch(`${baseUrl}/_sandbox/health`)).json()).toMatchObject({ ok: true });
		const credentials = (await (await fetch(`${baseUrl}/_sandbox/credentials`)).json()) as {
			apiKey: string;
			siteId: string;
		};
		expect(output).toContain(credentials.apiKey);
		// Wix's own figures, which tests started with startTestSandbox relax.
		expect(await (await fetch(`${baseUrl}/_sandbox/config`)).json()).toMatchObject({
			webhookTimeoutMs: 1250,
			mediaPendingReads: 0,
		});
		const response = await fetch(`${baseUrl}/pro-gallery/v2/galleries`, {
			headers: { Authorization: credentials.apiKey, 'wix-site-id': credentials.siteId },
		});
		const body = (await response.json()) as {
			totalGalleries: number;
			galleries: Array<{ name: string }>;
		};
		expect(response.status).toBe(200);
		expect(body.totalGalleries).toBeGreaterThan(0);
		expect(body.galleries.map((gallery) => gallery.name)).toContain('Summer 2026');
	} finally {
		process.kill(-child.pid!, 'SIGINT');
	}
	// npm passes Ctrl-C on and ends with the sandbox: either cleanly or by the signal itself.
	const { code, signal } = await exited;
	expect(code === 0 || signal === 'SIGINT').toBe(true);
}, 120_000);
