import { createRequire } from 'node:module';

// The DingTalk SDK is CommonJS with `exports.default = Client`; load it as Node does for CJS callers.
const require = createRequire(import.meta.url);

export const oauth2 = require('@alicloud/dingtalk/oauth2_1_0') as typeof import('@alicloud/dingtalk/dist/oauth2_1_0/client.js') & { default: any };
export const calendar = require('@alicloud/dingtalk/calendar_1_0') as typeof import('@alicloud/dingtalk/dist/calendar_1_0/client.js') & { default: any };
export const contact = require('@alicloud/dingtalk/contact_1_0') as typeof import('@alicloud/dingtalk/dist/contact_1_0/client.js') & { default: any };
const openapi = require('@alicloud/openapi-client') as typeof import('@alicloud/openapi-client');

/** The SDK's config for a rili at `url` (endpoint is host:port, protocol http). */
export const dingtalkConfig = (url: string) => new openapi.Config({ endpoint: new URL(url).host, protocol: 'http' });
