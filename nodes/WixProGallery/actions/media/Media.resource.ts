import type { INodeProperties } from 'n8n-workflow';

import * as getFile from './getFile.operation';
import * as upload from './upload.operation';

/** The resource's operations by the Operation parameter's values. */
export const operations = { getFile, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['media'] } },
		options: [
			{
				name: 'Get File',
				value: 'getFile',
				description: 'Get a Media Manager file with its status and dimensions',
				action: 'Get a media file',
			},
			{
				name: 'Upload',
				value: 'upload',
				description: 'Upload a binary file or import a URL into the Wix Media Manager',
				action: 'Upload a media file',
			},
		],
		default: 'upload',
	},
	...getFile.description,
	...upload.description,
];
