import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteItem from './deleteItem.operation';
import * as deleteMany from './deleteMany.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

/** The resource's operations by the Operation parameter's values. */
export const operations = { create, deleteItem, deleteMany, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['item'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Add an image, video or text item to a gallery',
				action: 'Create a gallery item',
			},
			{
				name: 'Delete',
				value: 'deleteItem',
				description: 'Delete an item',
				action: 'Delete a gallery item',
			},
			{
				name: 'Delete Many',
				value: 'deleteMany',
				description: 'Delete several items of a gallery at once',
				action: 'Delete many gallery items',
			},
			{ name: 'Get', value: 'get', description: 'Get an item', action: 'Get a gallery item' },
			{
				name: 'Get Many',
				value: 'getAll',
				description: "List a gallery's items",
				action: 'Get many gallery items',
			},
			{
				name: 'Update',
				value: 'update',
				description: "Change an item's title, description, link, tags or position",
				action: 'Update a gallery item',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...deleteItem.description,
	...deleteMany.description,
	...get.description,
	...getAll.description,
	...update.description,
];
