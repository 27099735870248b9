import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	ITriggerFunctions,
	ITriggerResponse,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, NodeOperationError, jsonParse } from 'n8n-workflow';

import * as packageExports from '../../../index';

/** The npm package name: n8n names community nodes `<package>.<node name>`. */
export const PACKAGE_NAME = 'n8n-nodes-wix-gallery';
export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';
export const INPUT_ITEMS_TYPE = 'harness.inputItems';

/** This package's node classes; add new nodes here. */
const PACKAGE_NODE_CLASSES: Array<new () => INodeType | IVersionedNodeType> = [
	packageExports.WixProGallery,
	packageExports.WixSharedGallery,
	packageExports.WixGalleryTrigger,
	packageExports.WixGalleryPollingTrigger,
	packageExports.WixGallerySync,
];

/** `wixProGallery` → `n8n-nodes-wix-gallery.wixProGallery`; full type names are returned unchanged. */
export function packageNodeType(name: string): string {
	return name.includes('.') ? name : `${PACKAGE_NAME}.${name}`;
}

/** A Manual Trigger that behaves like n8n's: one empty item when the workflow is run by hand. */
export class ManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n',
		defaults: { name: 'When clicking ‘Execute workflow’' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};
		return { manualTriggerFunction };
	}
}

export interface InputBinarySpec {
	/** The file's bytes, base64-encoded. */
	data: string;
	mimeType?: string;
	fileName?: string;
}

export interface InputItemSpec {
	json: IDataObject;
	binary?: Record<string, InputBinarySpec>;
}

/**
 * Emits the items in its `items` parameter (an array, or its JSON text) whatever its input. Binary properties are
 * stored through n8n-core's binary data service, so downstream nodes get the same kind of binary data as from a
 * real node (in filesystem mode: a reference to a file, not inline base64).
 */
export class InputItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Input Items (test fixture)',
		name: 'inputItems',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items, with binary data, for tests',
		defaults: { name: 'Input Items' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Items',
				name: 'items',
				type: 'json',
				default: '[]',
				description: 'Array of {json, binary?: {[property]: {data (base64), mimeType, fileName}}}',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Raw, so that a test value starting with "=" stays a value instead of becoming an expression.
		const raw = this.getNodeParameter('items', 0, '[]', { rawExpressions: true }) as
			| string
			| InputItemSpec[];
		const specs = typeof raw === 'string' ? jsonParse<InputItemSpec[]>(raw) : raw;
		if (!Array.isArray(specs)) {
			throw new NodeOperationError(this.getNode(), 'The items parameter must be an array');
		}
		const items: INodeExecutionData[] = [];
		for (const spec of specs) {
			const item: INodeExecutionData = { json: spec.json ?? {}, pairedItem: { item: 0 } };
			if (spec.binary) {
				item.binary = {};
				for (const [property, file] of Object.entries(spec.binary)) {
					item.binary[property] = await this.helpers.prepareBinaryData(
						Buffer.from(file.data, 'base64'),
						file.fileName,
						file.mimeType,
					);
				}
			}
			items.push(item);
		}
		return [items];
	}
}

/**
 * The node types a harness workflow can use. This package's nodes are registered only under the name n8n gives
 * them in production (`n8n-nodes-wix-gallery.<name>`), so workflows copied from n8n run unchanged; use
 * `packageNodeType('<name>')` to build it. The harness's own nodes are `n8n-nodes-base.manualTrigger` and
 * `harness.inputItems`; tests may add more with `add`.
 */
export class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	constructor() {
		for (const NodeClass of PACKAGE_NODE_CLASSES) {
			const node = new NodeClass();
			this.add(packageNodeType(node.description.name), node);
		}
		this.add(MANUAL_TRIGGER_TYPE, new ManualTrigger());
		this.add(INPUT_ITEMS_TYPE, new InputItems());
	}

	add(typeName: string, nodeType: INodeType | IVersionedNodeType): this {
		this.types.set(typeName, nodeType);
		return this;
	}

	has(typeName: string): boolean {
		return this.types.has(typeName);
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types.get(nodeType);
		if (!type) {
			throw new Error(
				`Unknown node type "${nodeType}". Known: ${[...this.types.keys()].join(', ')}`,
			);
		}
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries([...this.types.keys()].map((name) => [name, { className: name }]));
	}
}
