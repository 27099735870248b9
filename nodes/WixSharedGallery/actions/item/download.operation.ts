import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { errorOutputItem } from '../../../shared/execution';
import { DEFAULT_ZIP_LIMITS } from '../../zip';
import { queryProperties, readQueryParameters } from '../../descriptions/query.description';
import { itemIdsProperty, parseIdList, requiredItemIds } from '../../../shared/idList';
import { queryItems } from '../../../shared/wix/sharedGallery/api';
import { normaliseItem } from '../../../shared/wix/sharedGallery/normalise';
import type { SharedGalleryItem } from '../../../shared/wix/sharedGallery/types';
import { downloadItems } from '../../helpers/download';
import type { DownloadOptions, DownloadTarget } from '../../helpers/download';

const MB = 1024 * 1024;
export const DEFAULT_BATCH_SIZE = 50;

const properties: INodeProperties[] = [
	{
		displayName: 'Select Items By',
		name: 'selectBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'ID Field of Input Items',
				value: 'inputField',
				description:
					'Download the items whose IDs are in a field of the input items (e.g. the output of Query), all together',
			},
			{
				name: 'IDs',
				value: 'ids',
				description: 'Download the items whose IDs are typed in or given by an expression',
			},
			{
				name: 'Query',
				value: 'query',
				description:
					'Download the items a query finds, e.g. the 5 most-liked media of some members',
			},
		],
		default: 'inputField',
	},
	{
		displayName: 'ID Field',
		name: 'idField',
		type: 'string',
		default: 'id',
		required: true,
		description:
			"The input items' field that holds a Shared Gallery item ID or an array of IDs; a dot path reads a nested field",
		displayOptions: { show: { selectBy: ['inputField'] } },
	},
	{
		...itemIdsProperty(
			'The IDs of media or albums (an album gives all its media): comma-separated, or an expression that returns an array',
		),
		displayOptions: { show: { selectBy: ['ids'] } },
	},
	...updateDisplayOptions({ show: { selectBy: ['query'] } }, queryProperties()),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'The name of the binary property each output item holds its file in',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Items per Archive',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_BATCH_SIZE,
				description:
					'Most item IDs asked for in one download; larger selections are downloaded as several archives',
			},
			{
				displayName: 'Max Compression Ratio',
				name: 'maxCompressionRatio',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 200,
				description:
					'A file that unpacks to more than this many times its packed size stops the download (protects against ZIP bombs)',
			},
			{
				displayName: 'Max Files per Archive',
				name: 'maxEntries',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10000,
				description: 'An archive with more files than this stops the download',
			},
			{
				displayName: 'Max Total Size (MB)',
				name: 'maxTotalSizeMb',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 8192,
				description: 'An archive that unpacks to more than this stops the download',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['item'], operation: ['download'] } },
	properties,
);

interface DownloadParameterOptions {
	batchSize?: number;
	maxCompressionRatio?: number;
	maxEntries?: number;
	maxTotalSizeMb?: number;
}

function readOptions(this: IExecuteFunctions, itemIndex: number): DownloadOptions {
	const binaryPropertyName = (
		this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string
	).trim();
	if (!binaryPropertyName) {
		throw new NodeOperationError(this.getNode(), '"Put Output File in Field" is empty', {
			itemIndex,
		});
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as DownloadParameterOptions;
	return {
		binaryPropertyName,
		batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
		limits: {
			maxEntries: options.maxEntries ?? DEFAULT_ZIP_LIMITS.maxEntries,
			maxCompressionRatio: options.maxCompressionRatio ?? DEFAULT_ZIP_LIMITS.maxCompressionRatio,
			maxTotalUncompressedBytes:
				options.maxTotalSizeMb !== undefined
					? options.maxTotalSizeMb * MB
					: DEFAULT_ZIP_LIMITS.maxTotalUncompressedBytes,
		},
	};
}

/** Per input item: the "IDs" and "Query" modes. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const selectBy = this.getNodeParameter('selectBy', itemIndex) as string;
	const options = readOptions.call(this, itemIndex);
	let targets: DownloadTarget[];
	if (selectBy === 'query') {
		const { request, max } = readQueryParameters.call(this, itemIndex);
		const items = await queryItems.call(this, request, max, itemIndex);
		targets = items.map((item) => ({ id: item.id, item, inputIndexes: [itemIndex] }));
		if (!targets.length) return [];
	} else {
		const itemIds = requiredItemIds.call(this, itemIndex, 'the media or albums');
		targets = itemIds.map((id) => ({ id, inputIndexes: [itemIndex] }));
	}
	return await downloadItems.call(this, targets, options, itemIndex);
}

function valueAtPath(json: IDataObject, path: string): unknown {
	if (path in json) return json[path];
	return path
		.split('.')
		.reduce<unknown>(
			(value, key) =>
				typeof value === 'object' && value !== null ? (value as IDataObject)[key] : undefined,
			json,
		);
}

/** An input item from Query carries the item itself under `raw`; reusing it saves a lookup. */
function knownItem(json: IDataObject, id: string): SharedGalleryItem | undefined {
	const raw = json.raw;
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
	const item = normaliseItem(raw as IDataObject);
	return item.id === id && item.name ? item : undefined;
}

/**
 * The "ID Field of Input Items" mode runs for all input items at once: downloading their IDs together lets them
 * share archives.
 */
export function runsAsBatch(this: IExecuteFunctions): boolean {
	return this.getNodeParameter('selectBy', 0) === 'inputField';
}

/**
 * The "ID Field of Input Items" mode: the IDs of all input items are downloaded together, in as few archives as
 * "Items per Archive" allows, and every file is paired with the input item its ID came from.
 */
export async function executeBatch(
	this: IExecuteFunctions,
	inputs: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const targets: DownloadTarget[] = [];
	for (let itemIndex = 0; itemIndex < inputs.length; itemIndex++) {
		const idField = (this.getNodeParameter('idField', itemIndex, 'id') as string).trim();
		const ids = parseIdList(valueAtPath(inputs[itemIndex].json, idField));
		if (!ids.length) {
			const error = new NodeOperationError(
				this.getNode(),
				`No item ID in the field "${idField}" of input item ${itemIndex}`,
				{
					itemIndex,
					description:
						'Set "ID Field" to the field that holds the Shared Gallery item ID (the Query operation outputs it as "id").',
				},
			);
			if (!this.continueOnFail()) throw error;
			output.push(errorOutputItem(error, [itemIndex]));
			continue;
		}
		for (const id of ids) {
			targets.push({ id, item: knownItem(inputs[itemIndex].json, id), inputIndexes: [itemIndex] });
		}
	}
	if (!targets.length) return output;
	const options = readOptions.call(this, 0);
	const files = await downloadItems.call(
		this,
		targets,
		options,
		0,
		this.continueOnFail()
			? (error, batch) => [
					errorOutputItem(error, [...new Set(batch.flatMap((target) => target.inputIndexes))]),
				]
			: undefined,
	);
	return [...output, ...files];
}
