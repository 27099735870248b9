import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { waitUntilFileReady } from '../../../shared/wix/mediaManager/api';
import { simplifyFile } from '../../../shared/wix/mediaManager/output';
import type { WixFileDescriptor } from '../../../shared/wix/mediaManager/types';
import { bringIntoMediaManager } from '../../helpers/itemMedia';
import { concurrentUploadBatch, concurrentUploadsOption } from '../../helpers/concurrentUploads';

const properties: INodeProperties[] = [
	{
		displayName: 'Media Source',
		name: 'mediaSource',
		type: 'options',
		options: [
			{ name: 'Binary File', value: 'binary', description: 'A file from a previous node' },
			{
				name: 'Public URL',
				value: 'url',
				description: 'A publicly reachable address that Wix imports',
			},
		],
		default: 'binary',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: "The name of the input item's binary field that holds the file",
		displayOptions: { show: { mediaSource: ['binary'] } },
	},
	{
		displayName: 'Media URL',
		name: 'mediaUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/photo.jpg',
		displayOptions: { show: { mediaSource: ['url'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				description:
					"The name the file gets in the Media Manager (default: the binary's file name)",
			},
			{
				displayName: 'Media Manager Folder ID',
				name: 'parentFolderId',
				type: 'string',
				default: '',
				description: 'The folder to put the file in (default: the root folder)',
			},
			{
				displayName: 'Wait Until Ready',
				name: 'waitUntilReady',
				type: 'boolean',
				default: true,
				description:
					'Whether to wait until Wix has processed the file (status READY) before passing it on; gallery items need READY files',
			},
			{
				displayName: 'Processing Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 120,
				description: 'How long to wait for Wix to process the file before failing',
			},
			concurrentUploadsOption,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['media'], operation: ['upload'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	return await outputFile.call(this, itemIndex, await uploadOne.call(this, itemIndex));
}

async function outputFile(
	this: IExecuteFunctions,
	_itemIndex: number,
	file: WixFileDescriptor,
): Promise<INodeExecutionData[]> {
	return [{ json: simplifyFile(file) }];
}

export const { runsAsBatch, executeBatch } = concurrentUploadBatch(uploadOne, outputFile);

async function uploadOne(this: IExecuteFunctions, itemIndex: number): Promise<WixFileDescriptor> {
	const source = this.getNodeParameter('mediaSource', itemIndex) as 'binary' | 'url';
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		fileName?: string;
		parentFolderId?: string;
		waitUntilReady?: boolean;
		timeoutSeconds?: number;
	};
	const parameter =
		source === 'binary'
			? { name: 'binaryPropertyName', displayName: 'Input Binary Field' }
			: { name: 'mediaUrl', displayName: 'Media URL' };
	const value = String(this.getNodeParameter(parameter.name, itemIndex) ?? '').trim();
	if (!value) {
		throw new NodeOperationError(this.getNode(), `"${parameter.displayName}" is empty`, {
			itemIndex,
		});
	}
	let file = await bringIntoMediaManager.call(
		this,
		{
			source,
			value,
			parameterName: parameter.displayName,
			fileName: options.fileName,
			parentFolderId: options.parentFolderId,
		},
		itemIndex,
	);
	if (options.waitUntilReady !== false) {
		file = await waitUntilFileReady.call(this, file, {
			timeoutSeconds: options.timeoutSeconds ?? 120,
			itemIndex,
		});
	}
	return file;
}
