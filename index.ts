export { WixApi } from './credentials/WixApi.credentials';
export { WixOAuth2Api } from './credentials/WixOAuth2Api.credentials';
export { WixProGallery } from './nodes/WixProGallery/WixProGallery.node';
