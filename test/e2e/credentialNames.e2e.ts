/* eslint-disable @n8n/community-nodes/no-restricted-imports -- e2e tests run in plain Node against a real n8n, never inside n8n */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

import { WixGalleryApi } from '../../credentials/WixGalleryApi.credentials';
import { WixGalleryOAuth2Api } from '../../credentials/WixGalleryOAuth2Api.credentials';
import {
	createAndRun,
	e2eInstance,
	manualWorkflow,
	n8n,
	nodeOutput,
	packageNodeType,
	sandboxControl,
} from '../support/e2e/n8n';
import type { E2eInstance } from '../support/e2e/n8n';

// n8n keys credential types by their bare name across every installed package, so two packages that both register
// `wixApi` (Wix's own package and another community one do) override each other's for the nodes of both. The
// package's types are named wixGalleryApi and wixGalleryOAuth2Api for that reason; globalSetup.mjs installs a
// fixture package with a `wixApi` of its own (test/fixtures/other-wix-package) next to this one, and this file
// checks that in one n8n both are registered, both test green and both work in one workflow.

const OTHER_PACKAGE = 'n8n-nodes-other-wix';
const OTHER_NODE_TYPE = `${OTHER_PACKAGE}.otherWix`;
// The API key of the other package's credential; the name keeps the secrets lint rule from taking it for one.
const OTHER_PACKAGE_HEADER_VALUE = 'e2e-other-package-key';
// The fixture's own property names: a schema that shows them is the fixture's, not this package's.
const OTHER_PROPERTIES = ['apiKey', 'apiBaseUrl'];

interface SeenRequest {
	method?: string;
	url?: string;
	headers: IncomingHttpHeaders;
}

interface StandIn {
	baseUrl: string;
	requests: SeenRequest[];
	close: () => Promise<void>;
}

/**
 * Stands in for www.wixapis.com for the fixture's credential: answers GET /v1/user only when it carries the
 * fixture's x-api-key header, so a green credential test means n8n applied that package's `authenticate`.
 */
async function startStandIn(): Promise<StandIn> {
	const requests: SeenRequest[] = [];
	const server = createServer((request, response) => {
		requests.push({ method: request.method, url: request.url, headers: request.headers });
		const known = request.headers['x-api-key'] === OTHER_PACKAGE_HEADER_VALUE;
		const status =
			request.method === 'GET' && request.url === '/v1/user' ? (known ? 200 : 401) : 404;
		response.writeHead(status, { 'Content-Type': 'application/json' });
		response.end(
			JSON.stringify(status === 200 ? { user: { id: 'e2e-other-user' } } : { message: 'no' }),
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}`,
		requests,
		close: async () => {
			// n8n keeps its connections alive; close() alone would wait for them.
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

// n8n adds these to every credential type it serves (injectDomainRestrictionFields); they say nothing about which
// package's type it is.
const ADDED_BY_N8N = new Set(['allowedHttpRequestDomains', 'allowedDomains']);

function propertyNames(
	type: { properties?: ReadonlyArray<{ name?: unknown; type?: unknown }> } | undefined,
	{ withHidden = true } = {},
) {
	return type?.properties
		?.filter((property) => withHidden || property.type !== 'hidden')
		.map((property) => String(property.name))
		.filter((name) => !ADDED_BY_N8N.has(name));
}

describe("another package's wixApi credential next to this package's credentials", () => {
	let standIn: StandIn;
	let created: Promise<{ ours: { id: string }; theirs: { id: string } }> | undefined;

	beforeAll(async () => {
		standIn = await startStandIn();
	});

	afterAll(async () => {
		await standIn?.close();
	});

	/** One credential of each package, made through n8n's public API as a user would. */
	async function credentials() {
		created ??= (async () => {
			const { sandbox } = e2eInstance();
			const ours = await n8n().createCredential({
				name: 'e2e: wixGalleryApi next to another wixApi',
				type: 'wixGalleryApi',
				data: {
					apiKey: sandbox.credentials.apiKey,
					siteId: sandbox.credentials.siteId,
					baseUrl: sandbox.baseUrl,
				},
			});
			const theirs = await n8n().createCredential({
				name: "e2e: the other package's wixApi",
				type: 'wixApi',
				data: { apiKey: OTHER_PACKAGE_HEADER_VALUE, apiBaseUrl: standIn.baseUrl },
			});
			return { ours, theirs };
		})();
		return await created;
	}

	test('the fixture package is installed next to this one', () => {
		const { extraPackages } = e2eInstance() as E2eInstance & {
			extraPackages?: Array<{ name: string; target: string }>;
		};
		expect(extraPackages?.map((extra) => extra.name)).toEqual([OTHER_PACKAGE]);
	});

	test('n8n serves all three credential types, each with its own properties', async () => {
		const served = new Map((await n8n().credentialTypes()).map((type) => [type.name, type]));
		expect({
			wixGalleryApi: propertyNames(served.get('wixGalleryApi')),
			wixGalleryOAuth2Api: propertyNames(served.get('wixGalleryOAuth2Api')),
			wixApi: propertyNames(served.get('wixApi')),
		}).toEqual({
			wixGalleryApi: propertyNames(new WixGalleryApi()),
			wixGalleryOAuth2Api: propertyNames(new WixGalleryOAuth2Api()),
			wixApi: OTHER_PROPERTIES,
		});
		expect(served.get('wixApi')?.displayName).toBe('Wix API (other package)');
		expect(served.get('wixGalleryApi')?.displayName).toBe(new WixGalleryApi().displayName);
	});

	test("the public API's credential schemas are each package's own", async () => {
		const schemaProperties = async (type: string) => {
			const schema = await n8n().api<{ properties: Record<string, { type: string }> }>(
				'GET',
				`/credentials/schema/${type}`,
			);
			return propertyNames({
				properties: Object.keys(schema.properties).map((name) => ({ name })),
			})!.sort();
		};
		// The schema leaves out hidden properties (the app credential's cached access token).
		const declared = (type: WixGalleryApi | WixGalleryOAuth2Api) =>
			propertyNames(type, { withHidden: false })!.sort();
		expect({
			wixGalleryApi: await schemaProperties('wixGalleryApi'),
			wixGalleryOAuth2Api: await schemaProperties('wixGalleryOAuth2Api'),
			wixApi: await schemaProperties('wixApi'),
		}).toEqual({
			wixGalleryApi: declared(new WixGalleryApi()),
			wixGalleryOAuth2Api: declared(new WixGalleryOAuth2Api()),
			wixApi: [...OTHER_PROPERTIES].sort(),
		});
	});

	test("each package's node asks for its own credential type", async () => {
		const nodeTypes = await n8n().nodeTypes();
		const credentialsOf = (name: string) =>
			nodeTypes
				.find((type) => type.name === name)
				?.credentials?.map((credential) => credential.name)
				.sort();
		expect(credentialsOf(packageNodeType('wixProGallery'))).toEqual([
			'wixGalleryApi',
			'wixGalleryOAuth2Api',
		]);
		expect(credentialsOf(OTHER_NODE_TYPE)).toEqual(['wixApi']);
	});

	test("n8n's credential test passes for a credential of each package", async () => {
		const { ours, theirs } = await credentials();
		expect(await n8n().testCredential({ id: ours.id, type: 'wixGalleryApi' })).toEqual({
			status: 'OK',
			message: expect.any(String),
		});

		const before = standIn.requests.length;
		expect(await n8n().testCredential({ id: theirs.id, type: 'wixApi' })).toEqual({
			status: 'OK',
			message: expect.any(String),
		});
		// The request carried the other package's header and none of this package's.
		const seen = standIn.requests.slice(before);
		expect(seen.map((request) => `${request.method} ${request.url}`)).toEqual(['GET /v1/user']);
		expect(seen[0].headers['x-api-key']).toBe(OTHER_PACKAGE_HEADER_VALUE);
		expect(seen[0].headers).not.toHaveProperty('wix-site-id');
		expect(seen[0].headers).not.toHaveProperty('authorization');

		// And the test can fail: it really checks the key.
		const wrong = await n8n().testCredential({
			id: theirs.id,
			type: 'wixApi',
			data: { apiKey: 'not-the-key' },
		});
		expect(wrong.status).toBe('Error');
	});

	test("one workflow runs each package's node with its own credential", async () => {
		const { ours, theirs } = await credentials();
		const state = await sandboxControl<{ proGallery: { galleries: Array<{ id: string }> } }>(
			'GET',
			'state',
		);
		const galleryIds = state.proGallery.galleries.map((gallery) => gallery.id).sort();
		expect(galleryIds.length).toBeGreaterThan(0);
		const before = standIn.requests.length;

		const { execution } = await createAndRun(
			manualWorkflow('e2e: two Wix packages, two credential types', [
				{
					name: 'Other Wix',
					type: OTHER_NODE_TYPE,
					parameters: { path: '/v1/user' },
					credentials: { wixApi: { id: theirs.id, name: "e2e: the other package's wixApi" } },
				},
				{
					name: 'Wix Pro Gallery',
					type: packageNodeType('wixProGallery'),
					parameters: {
						authentication: 'apiKey',
						resource: 'gallery',
						operation: 'getAll',
						returnAll: true,
					},
					credentials: {
						wixGalleryApi: { id: ours.id, name: 'e2e: wixGalleryApi next to another wixApi' },
					},
				},
			]),
		);

		expect(execution.status).toBe('success');
		expect(nodeOutput(execution, 'Other Wix').map((item) => item.json)).toEqual([
			{ user: { id: 'e2e-other-user' } },
		]);
		const seen = standIn.requests.slice(before);
		expect(seen.map((request) => request.headers['x-api-key'])).toEqual([
			OTHER_PACKAGE_HEADER_VALUE,
		]);
		expect(
			nodeOutput(execution, 'Wix Pro Gallery')
				.map((item) => String(item.json.id))
				.sort(),
		).toEqual(galleryIds);
	});
});
