export { WixGalleryApi } from './credentials/WixGalleryApi.credentials';
export { WixGalleryOAuth2Api } from './credentials/WixGalleryOAuth2Api.credentials';
export { WixGalleryN8nApi } from './credentials/WixGalleryN8nApi.credentials';
export { WixProGallery } from './nodes/WixProGallery/WixProGallery.node';
export { WixSharedGallery } from './nodes/WixSharedGallery/WixSharedGallery.node';
export { WixGalleryTrigger } from './nodes/WixGalleryTrigger/WixGalleryTrigger.node';
export { WixGalleryPollingTrigger } from './nodes/WixGalleryPollingTrigger/WixGalleryPollingTrigger.node';
export { WixGallerySync } from './nodes/WixGallerySync/WixGallerySync.node';
