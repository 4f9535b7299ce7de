import type { EventCategory } from './types.js';

/**
 * The event categories a tenant has when its seed names none (DingTalk `ListCategories`). DingTalk
 * documents no list; these are the kinds of meeting its client offers, with stable ids.
 */
export const DEFAULT_CATEGORIES: readonly EventCategory[] = Object.freeze([
  { categoryId: 'meeting', displayName: '会议' },
  { categoryId: 'interview', displayName: '面试' },
  { categoryId: 'training', displayName: '培训' },
  { categoryId: 'business_trip', displayName: '出差' },
  { categoryId: 'other', displayName: '其他' },
]);
