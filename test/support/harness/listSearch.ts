import { LoadOptionsContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	INode,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { ensureN8nCore } from './binaryData';
import {
	CredentialStore,
	HarnessCredentialTypes,
	HarnessCredentialsHelper,
} from './credentialsHelper';
import { createAdditionalData } from './index';
import { HarnessNodeTypes, packageNodeType } from './nodeTypes';

export interface ListSearchOptions {
	/** `wixProGallery` or the full type name. */
	type: string;
	/** The node's parameters as the editor holds them while the user picks from the list. */
	parameters: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** The `listSearch` method named by the resource locator's list mode. */
	method: string;
	filter?: string;
	paginationToken?: string;
}

let executionCounter = 0;

/**
 * Runs a node's resource-locator list search as the editor does (n8n's LoadOptions service): in n8n-core's
 * LoadOptionsContext, with the node's current parameters and its credentials, over real HTTP.
 */
export async function runListSearch(options: ListSearchOptions): Promise<INodeListSearchResult> {
	await ensureN8nCore();
	const nodeTypes = new HarnessNodeTypes();
	const typeName = packageNodeType(options.type);
	const nodeType = nodeTypes.getByNameAndVersion(typeName) as INodeType;
	const store = new CredentialStore();
	const credentials = Object.fromEntries(
		Object.entries(options.credentials).map(([type, data]) => [
			type,
			store.add(type, data).reference,
		]),
	);
	// The editor sends the node's parameters with every default filled in (e.g. `authentication`).
	const parameters =
		NodeHelpers.getNodeParameters(
			nodeType.description.properties,
			options.parameters,
			true,
			false,
			null,
			nodeType.description,
		) ?? options.parameters;
	const node: INode = {
		id: 'list-search',
		name: 'List search',
		type: typeName,
		typeVersion: Array.isArray(nodeType.description.version)
			? Math.max(...nodeType.description.version)
			: nodeType.description.version,
		position: [0, 0],
		parameters,
		credentials,
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = createAdditionalData(
		new HarnessCredentialsHelper(new HarnessCredentialTypes(), store),
		`list-search-${++executionCounter}`,
	);
	additionalData.currentNodeParameters = parameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.galleryId');
	const method = nodeType.methods?.listSearch?.[options.method];
	if (!method) throw new Error(`${typeName} has no list search "${options.method}"`);
	return await method.call(context, options.filter, options.paginationToken);
}
