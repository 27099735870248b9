import { getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	ICredentialTypes,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentials,
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	deepCopy,
	isExpression,
} from 'n8n-workflow';

import * as packageExports from '../../../index';

/** This package's credential classes; add new credentials here. */
const PACKAGE_CREDENTIAL_CLASSES: Array<new () => ICredentialType> = [
	packageExports.WixGalleryApi,
	packageExports.WixGalleryOAuth2Api,
];

/** n8n's credential tester runs the test request as this node type with an empty `temp` parameter. */
export const CREDENTIAL_TEST_NODE_TYPE = 'n8n-nodes-base.noOp';

export class HarnessCredentialTypes implements ICredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	constructor() {
		for (const CredentialClass of PACKAGE_CREDENTIAL_CLASSES) this.add(new CredentialClass());
	}

	add(credentialType: ICredentialType): this {
		this.types.set(credentialType.name, credentialType);
		return this;
	}

	recognizes(credentialType: string): boolean {
		return this.types.has(credentialType);
	}

	getByName(credentialType: string): ICredentialType {
		const type = this.types.get(credentialType);
		if (!type) throw new Error(`Unknown credential type "${credentialType}"`);
		return type;
	}

	getSupportedNodes(type: string): string[] {
		return this.getByName(type).supportedNodes ?? [];
	}

	getParentTypes(typeName: string): string[] {
		const parents = this.types.get(typeName)?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}
}

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	/** As saved (before defaults): what n8n keeps encrypted in its database. */
	data: ICredentialDataDecryptedObject;
}

/** A saved credential: what a node's `credentials.<type>` points at, plus access to the store. */
export class CredentialHandle implements INodeCredentialsDetails {
	constructor(
		readonly store: CredentialStore,
		readonly id: string,
		readonly name: string,
		readonly type: string,
	) {}

	/** The saved data, including values preAuthentication stored (e.g. the access token). */
	get data(): ICredentialDataDecryptedObject {
		return this.store.getData(this.id);
	}

	/** How many times the credential type's preAuthentication ran for this credential. */
	get preAuthenticationCount(): number {
		return this.store.preAuthenticationCount(this.id);
	}

	/** How many times a node read the credential (n8n's getCredentials: a database read and a decryption). */
	get readCount(): number {
		return this.store.readCount(this.id);
	}

	/** As the `credentials` entry of a node. */
	get reference(): INodeCredentialsDetails {
		return { id: this.id, name: this.name };
	}
}

// Unique across stores, like the IDs of n8n's credentials table: nodes may key caches by credential ID.
let nextCredentialId = 1;

/** Stands in for n8n's credentials table. Shared across executions, so saved tokens are reused like in n8n. */
export class CredentialStore {
	private readonly credentials = new Map<string, StoredCredential>();

	private readonly preAuthenticationRuns = new Map<string, number>();

	private readonly reads = new Map<string, number>();


	add(
		type: string,
		data: ICredentialDataDecryptedObject,
		options: { id?: string; name?: string } = {},
	): CredentialHandle {
		const id = options.id ?? `credential-${nextCredentialId++}`;
		const name = options.name ?? `${type} ${id}`;
		this.credentials.set(id, { id, name, type, data: deepCopy(data) });
		return new CredentialHandle(this, id, name, type);
	}

	handle(id: string): CredentialHandle {
		const stored = this.find(id);
		return new CredentialHandle(this, stored.id, stored.name, stored.type);
	}

	has(id: string): boolean {
		return this.credentials.has(id);
	}

	find(id: string, type?: string): StoredCredential {
		const stored = this.credentials.get(id);
		if (!stored || (type !== undefined && stored.type !== type)) {
			// The wording of n8n's CredentialNotFoundError.
			throw new Error(`Credential with ID "${id}" does not exist for type "${type ?? '?'}".`);
		}
		return stored;
	}

	getData(id: string): ICredentialDataDecryptedObject {
		return deepCopy(this.find(id).data);
	}

	setData(id: string, data: ICredentialDataDecryptedObject): void {
		this.find(id).data = deepCopy(data);
	}

	/** Changes saved values, e.g. to make a stored token stale the way an expired one would be. */
	update(id: string, changes: ICredentialDataDecryptedObject): void {
		const stored = this.find(id);
		stored.data = { ...stored.data, ...deepCopy(changes) };
	}

	preAuthenticationCount(id: string): number {
		return this.preAuthenticationRuns.get(id) ?? 0;
	}

	countPreAuthentication(id: string): void {
		this.preAuthenticationRuns.set(id, this.preAuthenticationCount(id) + 1);
	}

	readCount(id: string): number {
		return this.reads.get(id) ?? 0;
	}

	countRead(id: string): void {
		this.reads.set(id, this.readCount(id) + 1);
	}
}

/** n8n's Credentials class minus the encryption: the store keeps plain objects. */
class StoredCredentials extends ICredentials {
	constructor(
		private readonly store: CredentialStore,
		stored: StoredCredential,
	) {
		super({ id: stored.id, name: stored.name }, stored.type, JSON.stringify(stored.data));
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		return this.store.getData(this.id as string);
	}

	getDataToSave(): ICredentialsEncrypted {
		return {
			id: this.id,
			name: this.name,
			type: this.type,
			data: JSON.stringify(this.store.getData(this.id as string)),
		};
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.store.setData(this.id as string, data);
	}

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: string[] = [],
	): Promise<void> {
		const data = { ...this.store.getData(this.id as string), ...toUpdate };
		for (const key of toDelete) delete data[key];
		this.store.setData(this.id as string, data as ICredentialDataDecryptedObject);
	}
}

const credentialResolutionNode: INode = {
	id: 'credential-resolution',
	name: '',
	type: 'mock',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const credentialResolutionNodeTypes: INodeTypes = {
	getByName: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getKnownTypes: () => ({}),
};

/**
 * An ICredentialsHelper over a CredentialStore that does what n8n's (packages/cli) does for API-key and
 * preAuthentication credentials: defaults and expressions in getDecrypted, generic and function `authenticate`,
 * and preAuthentication when the expirable property is empty, after a 401, or during a credential test, with the
 * result saved back to the store.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		readonly credentialTypes: HarnessCredentialTypes,
		readonly store: CredentialStore,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.credentialTypes.recognizes(credentialType)) return true;
		const type = this.credentialTypes.getByName(credentialType);
		if (!type.restrictToSupportedNodes) return true;
		return this.credentialTypes.getSupportedNodes(credentialType).includes(nodeType);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			if (!workflow || !node) {
				throw new Error('Workflow and node are required for declarative credential authentication');
			}
			requestOptions.headers ??= {};
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [section, entries] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
					target[section] ??= {};
					target[section][this.resolve(key, credentials, workflow, node)] = this.resolve(
						value as string,
						credentials,
						workflow,
						node,
					);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	/** Like n8n: an expression resolves with `$credentials`, and an empty result becomes ''. */
	private resolve(
		value: string,
		credentials: ICredentialDataDecryptedObject,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(value)) return value;
		const additionalKeys = {
			$credentials: credentials,
		} as unknown as IWorkflowDataProxyAdditionalKeys;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		return resolved ? String(resolved) : '';
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirable = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof credentialType.preAuthentication !== 'function') {
			return undefined;
		}
		const isCredentialTest =
			node?.type === CREDENTIAL_TEST_NODE_TYPE && node?.parameters?.temp === '';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isCredentialTest) {
			return undefined;
		}
		const nodeCredentials = node.credentials?.[credentialType.name];
		if (nodeCredentials?.id) this.store.countPreAuthentication(nodeCredentials.id);
		const output = (await credentialType.preAuthentication.call(
			{ helpers: { httpRequest: helpers.helpers.httpRequest } },
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		// n8n saves (and hands back) the new values only when the node names a saved credential.
		if (!nodeCredentials) return undefined;
		const stored = await (
			await this.getCredentials(nodeCredentials, credentialType.name)
		).getData();
		const toSave: ICredentialDataDecryptedObject = { ...stored };
		for (const [key, value] of Object.entries(output)) {
			// A value the user saved as an expression stays an expression.
			if (key === expirable.name || !isExpression(stored[key])) toSave[key] = value;
		}
		await this.updateCredentials(nodeCredentials, credentialType.name, toSave);
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { preAuthentication } = this.credentialTypes.getByName(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		return (await preAuthentication.call(
			{ helpers: { httpRequest: helpers.helpers.httpRequest } },
			credentials,
		)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		if (!nodeCredentials.id) {
			throw new Error(`Credential "${nodeCredentials.name}" of type "${type}" has no ID`);
		}
		return new StoredCredentials(this.store, this.store.find(nodeCredentials.id, type));
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = await (await this.getCredentials(nodeCredentials, type)).getData();
		if (nodeCredentials.id) this.store.countRead(nodeCredentials.id);
		if (raw === true) return stored;
		return this.applyDefaults(
			additionalData,
			stored,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** Fills in property defaults, then resolves expressions in the values, as n8n does before handing them out. */
	applyDefaults(
		additionalData: IWorkflowExecuteAdditionalData,
		stored: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): ICredentialDataDecryptedObject {
		const properties = this.getCredentialsProperties(type);
		let data = NodeHelpers.getNodeParameters(
			properties,
			stored as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (stored.oauthTokenData !== undefined) data.oauthTokenData = stored.oauthTokenData;
		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			data = expressionResolveValues.workflow.expression.getParameterValue(
				data as INodeParameters,
				expressionResolveValues.runExecutionData,
				expressionResolveValues.runIndex,
				expressionResolveValues.itemIndex,
				expressionResolveValues.node.name,
				expressionResolveValues.connectionInputData,
				mode,
				additionalKeys,
				executeData,
				false,
				data,
			) as ICredentialDataDecryptedObject;
		} else {
			const workflow = new Workflow({
				nodes: [credentialResolutionNode],
				connections: {},
				active: false,
				nodeTypes: credentialResolutionNodeTypes,
			});
			data = workflow.expression.getComplexParameterValue(
				credentialResolutionNode,
				data as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				data,
			) as ICredentialDataDecryptedObject;
		}
		return data;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		await (await this.getCredentials(nodeCredentials, type)).setData(data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		await (
			await this.getCredentials(nodeCredentials, type)
		).updateData({ oauthTokenData: data.oauthTokenData });
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.credentialTypes.getByName(type);
		if (!credentialType.extends) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}
}
