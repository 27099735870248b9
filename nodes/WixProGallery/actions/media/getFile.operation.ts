import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { getFileDescriptor } from '../../../shared/wix/mediaManager/api';
import { parseMediaReference } from '../../../shared/wix/mediaManager/mediaReference';
import { simplifyFile } from '../../../shared/wix/mediaManager/output';

const properties: INodeProperties[] = [
	{
		displayName: 'File ID or URL',
		name: 'fileId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 11062b_12703ed9a6574547bcaed22b1ce44eef~mv2.jpeg',
		description: 'A Media Manager file ID, its static.wixstatic.com URL, or a wix:image:// URI',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['media'], operation: ['getFile'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const value = this.getNodeParameter('fileId', itemIndex) as string;
	const fileId = parseMediaReference(value);
	if (!fileId) {
		throw new NodeOperationError(
			this.getNode(),
			`No Wix media ID found in "File ID or URL" ("${value}")`,
			{
				itemIndex,
			},
		);
	}
	return [{ json: simplifyFile(await getFileDescriptor.call(this, fileId, itemIndex)) }];
}
