export { WixApi } from './credentials/WixApi.credentials';
export { WixOAuth2Api } from './credentials/WixOAuth2Api.credentials';
export { WixProGallery } from './nodes/WixProGallery/WixProGallery.node';
export { WixSharedGallery } from './nodes/WixSharedGallery/WixSharedGallery.node';
export { WixGalleryTrigger } from './nodes/WixGalleryTrigger/WixGalleryTrigger.node';
export { WixGallerySync } from './nodes/WixGallerySync/WixGallerySync.node';
