import type { INodeProperties } from 'n8n-workflow';

import * as download from './download.operation';
import * as getDisplayUrls from './getDisplayUrls.operation';
import * as getDownloadUrl from './getDownloadUrl.operation';
import * as query from './query.operation';

/** The resource's operations by the Operation parameter's values. */
export const operations = { download, getDisplayUrls, getDownloadUrl, query };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['item'] } },
		options: [
			{
				name: 'Download',
				value: 'download',
				description: 'Download media as files, one output item per photo or video',
				action: 'Download shared gallery media',
			},
			{
				name: 'Get Display URLs',
				value: 'getDisplayUrls',
				description: 'Get temporary URLs to show photos and videos',
				action: 'Get a display URL per shared gallery media item',
			},
			{
				name: 'Get Download URL',
				value: 'getDownloadUrl',
				description: 'Get a temporary URL of a file or of a ZIP archive of several items',
				action: 'Get a download URL for shared gallery items',
			},
			{
				name: 'Query',
				value: 'query',
				description: 'Find media and albums by uploader, likes, tags, album or ID',
				action: 'Query shared gallery items',
			},
		],
		default: 'query',
	},
	...query.description,
	...getDisplayUrls.description,
	...getDownloadUrl.description,
	...download.description,
];
