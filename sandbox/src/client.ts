/**
 * The two ways tests, the demo and the benchmarks talk to a running sandbox: its control API (`/_sandbox/...`) and
 * its Wix REST API with the sandbox site's API key, as a site owner's script calls Wix. Answers are parsed JSON;
 * any non-2xx answer throws with the status and the body.
 */
export interface SandboxClient {
	control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
	wix<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

export function sandboxClient(
	baseUrl: string,
	credentials: { apiKey: string; siteId: string },
	fetchImplementation: typeof fetch = fetch,
): SandboxClient {
	async function call<T>(
		method: string,
		path: string,
		body: unknown,
		headers: Record<string, string>,
	): Promise<T> {
		const response = await fetchImplementation(`${baseUrl}${path}`, {
			method,
			headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`sandbox ${method} ${path} → ${response.status}: ${text}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}
	return {
		control: async (method, path, body) => await call(method, `/_sandbox/${path}`, body, {}),
		wix: async (method, path, body) =>
			await call(method, path, body, {
				Authorization: credentials.apiKey,
				'wix-site-id': credentials.siteId,
			}),
	};
}
