import { defineRoute } from '../../route.js';

/**
 * `ListCategories`: the organization's event categories, the seed's `categories[]` or rili's defaults
 * (docs/compatibility.md). The SDK takes a userId but sends none, so the list is the token's organization's.
 */
export const listCategories = defineRoute({
  method: 'GET',
  url: '/calendar/categories',
  schema: {},
  auth: 'required',
  async handle({ actor }, ctx) {
    const categories = await ctx.directory.categories(actor.tenantKey);
    return { categories: categories.map((c) => ({ openCategoryId: c.categoryId, displayName: c.displayName })) };
  },
});
