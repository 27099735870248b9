import { galleryListSearch } from '../../shared/wix/proGallery/galleryLocator';
import { searchItems } from './listSearch';

export const listSearch = { ...galleryListSearch, searchItems };
