import type { Route } from '../../../route.js';
import { mediaMethods } from './media/index.js';

/** Drive routes take multipart bodies: the Feishu plugin mounts them in a scope of their own. */
export const driveRoutes: readonly Route[] = [...mediaMethods];
