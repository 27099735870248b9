import { PollContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
} from 'n8n-workflow';
import { Workflow, deepCopy } from 'n8n-workflow';

import { ensureN8nCore } from './binaryData';
import {
	CredentialStore,
	HarnessCredentialTypes,
	HarnessCredentialsHelper,
} from './credentialsHelper';
import { createAdditionalData } from './index';
import { HarnessNodeTypes, packageNodeType } from './nodeTypes';

export interface PollerOptions {
	/** `wixGalleryPollingTrigger` or the full type name. */
	type: string;
	parameters: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	staticData?: IDataObject;
}

export interface Poller {
	/**
	 * One scheduled poll as n8n's active workflow runs it: mode `trigger`, the same poll context every time (n8n
	 * makes it once at activation), the workflow's static data kept in memory between polls. Answers the items
	 * the poll put out (what n8n would start an execution with), or null.
	 */
	poll(): Promise<INodeExecutionData[] | null>;
	/** The workflow's static data now (a plain copy), as n8n would save it. */
	staticData(): IDataObject;
	credentials: CredentialStore;
}

/** An activated polling trigger, in n8n-core's PollContext over real HTTP. */
export async function startPoller(options: PollerOptions): Promise<Poller> {
	await ensureN8nCore();
	const nodeTypes = new HarnessNodeTypes();
	const typeName = packageNodeType(options.type);
	const nodeType = nodeTypes.getByNameAndVersion(typeName) as INodeType;
	if (!nodeType.poll) throw new Error(`${typeName} has no poll method`);
	const store = new CredentialStore();
	const credentials = Object.fromEntries(
		Object.entries(options.credentials).map(([type, data]) => [
			type,
			store.add(type, data).reference,
		]),
	);
	const parameters = deepCopy(options.parameters);
	if (parameters.authentication === undefined && 'wixGalleryOAuth2Api' in credentials) {
		parameters.authentication = 'oAuth2';
	}
	const node: INode = {
		id: 'polling-trigger',
		name: 'Polling Trigger',
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials,
	};
	const workflow = new Workflow({
		id: 'harness-poll-workflow',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		staticData: deepCopy(options.staticData ?? {}),
	});
	const additionalData = createAdditionalData(
		new HarnessCredentialsHelper(new HarnessCredentialTypes(), store),
		'poll-activation',
	);
	const context = new PollContext(
		workflow,
		workflow.getNode(node.name)!,
		additionalData,
		'trigger',
		'activate',
	);
	const poll = nodeType.poll.bind(context);
	return {
		async poll() {
			const response = await poll();
			return response === null ? null : (response[0] ?? []);
		},
		staticData: () => deepCopy(workflow.staticData as IDataObject),
		credentials: store,
	};
}
