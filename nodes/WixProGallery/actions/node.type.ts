import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	gallery: 'create' | 'deleteGallery' | 'get' | 'getAll' | 'update';
	item: 'create' | 'deleteItem' | 'deleteMany' | 'get' | 'getAll' | 'update';
	media: 'getFile' | 'upload';
};

export type WixProGalleryType = AllEntities<NodeMap>;
