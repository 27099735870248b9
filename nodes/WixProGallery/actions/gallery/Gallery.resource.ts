import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteGallery from './deleteGallery.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

/** The resource's operations by the Operation parameter's values. */
export const operations = { create, deleteGallery, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['gallery'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					"Create a gallery in the site's backend (not shown on the live site by itself)",
				action: 'Create a gallery',
			},
			{
				name: 'Delete',
				value: 'deleteGallery',
				description: 'Delete a gallery and its items',
				action: 'Delete a gallery',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a gallery with its items',
				action: 'Get a gallery',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: "List the site's galleries",
				action: 'Get many galleries',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Rename or reorder a gallery',
				action: 'Update a gallery',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...deleteGallery.description,
	...get.description,
	...getAll.description,
	...update.description,
];
