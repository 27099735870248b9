import {
	e2eInstance,
	n8n,
	n8nLogEntries,
	packageNodeType,
	registeredTypeNames,
} from '../support/e2e/n8n';
import type { N8nTypeDescription } from '../../scripts/n8n-client.cjs';

// Every node and credential package.json registers is checked, so nodes added later are covered without new tests.
describe('the package loads in n8n 2.41.1 the way users install it', () => {
	let nodeTypes: N8nTypeDescription[];
	let credentialTypes: N8nTypeDescription[];

	beforeAll(async () => {
		nodeTypes = await n8n().nodeTypes();
		credentialTypes = await n8n().credentialTypes();
	});

	test('n8n is 2.41.1', async () => {
		const settings = await n8n().rest<{ versionCli: string }>('GET', '/settings');
		expect(settings.versionCli).toBe('2.41.1');
	});

	test('every registered node is served to the editor under the package name', () => {
		const { nodes } = registeredTypeNames();
		expect(nodes.length).toBeGreaterThan(0);
		const served = new Set(nodeTypes.map((type) => type.name));
		for (const name of nodes) expect(served).toContain(packageNodeType(name));
	});

	test('every registered credential type is served, with its test and its properties', () => {
		const { credentials } = registeredTypeNames();
		expect(credentials).toEqual(expect.arrayContaining(['wixGalleryApi', 'wixGalleryOAuth2Api']));
		for (const name of credentials) {
			const type = credentialTypes.find((candidate) => candidate.name === name);
			expect(type).toBeDefined();
			expect(type!.properties!.length).toBeGreaterThan(0);
		}
	});

	test('every credential a node asks for exists, and node descriptions load in full', async () => {
		const { nodes } = registeredTypeNames();
		const credentialNames = new Set(credentialTypes.map((type) => type.name));
		const descriptions = await n8n().rest<N8nTypeDescription[]>('POST', '/node-types', {
			nodeInfos: nodes.map((name) => {
				const served = nodeTypes.find((type) => type.name === packageNodeType(name))!;
				const version = Array.isArray(served.version) ? served.version : [served.version];
				return { name: served.name, version: Math.max(...version) };
			}),
		});
		// n8n answers with the bare node names.
		expect(descriptions.map((description) => description.name).sort()).toEqual([...nodes].sort());
		for (const description of descriptions) {
			expect(description.properties!.length).toBeGreaterThan(1);
			for (const credential of description.credentials ?? []) {
				expect(credentialNames).toContain(credential.name);
			}
		}
	});

	test("the nodes' icons are served", async () => {
		const { nodes } = registeredTypeNames();
		for (const name of nodes) {
			const served = nodeTypes.find((type) => type.name === packageNodeType(name))!;
			const iconUrl = served.iconUrl as { light: string; dark: string } | string;
			const paths = typeof iconUrl === 'string' ? [iconUrl] : [iconUrl.light, iconUrl.dark];
			for (const path of paths) {
				const response = await fetch(`${e2eInstance().n8nUrl}/${path}`);
				expect({ path, status: response.status }).toEqual({ path, status: 200 });
				expect(await response.text()).toContain('<svg');
			}
		}
	});

	test("n8n's log has no warning or error about the package", () => {
		const { nodes, credentials } = registeredTypeNames();
		const names = [e2eInstance().packageName, ...nodes, ...credentials];
		// Up to the end of the setup: later entries are the tests' own doing (e.g. credential tests meant to fail).
		const readyAt = Date.parse(e2eInstance().readyAt);
		const entries = n8nLogEntries().filter(
			(entry) => Date.parse(String(entry.metadata?.timestamp ?? entry.timestamp)) <= readyAt,
		);
		expect(entries.length).toBeGreaterThan(0);
		const aboutPackage = entries.filter(
			(entry) =>
				(entry.level === 'warn' || entry.level === 'error') &&
				(names.some((name) => JSON.stringify(entry).includes(name)) ||
					/failed to load|skipping package|unknown credential/i.test(entry.message)),
		);
		expect(aboutPackage).toEqual([]);
	});
});
