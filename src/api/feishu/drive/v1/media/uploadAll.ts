import { invalidArgument } from '../../../../../core/errors.js';
import { defineRoute } from '../../../../route.js';

/** The largest upload: what one event's attachments may total. */
export const UPLOAD_LIMIT_BYTES = 25 * 1024 * 1024;
const FILE_NAME_MAX = 250;

/**
 * `client.drive.v1.media.uploadAll`: a multipart upload for an event attachment (parent_type
 * `calendar`). Only the name and the size received are kept; the bytes are read and dropped.
 */
export const uploadAll = defineRoute({
  method: 'POST',
  url: '/drive/v1/medias/upload_all',
  schema: {},
  auth: 'required',
  async handle({ request, actor }, ctx) {
    if (!request.isMultipart()) throw invalidArgument('file', 'the request must be multipart/form-data');
    const fields = new Map<string, string>();
    let received: number | undefined;
    // Every part is read to its end before anything is judged, so the client is never cut off mid-upload.
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          let size = 0;
          for await (const chunk of part.file) size += (chunk as Buffer).length;
          if (part.fieldname === 'file') received = size;
        } else {
          fields.set(part.fieldname, String(part.value));
        }
      }
    } catch (error) {
      // Limits come as Fastify errors with a status; anything else is a body the parser could not read.
      if (typeof (error as { statusCode?: unknown }).statusCode === 'number') throw error;
      throw invalidArgument('body', `malformed multipart/form-data: ${(error as Error).message}`);
    }
    const name = fields.get('file_name') ?? '';
    if (name === '' || name.length > FILE_NAME_MAX) throw invalidArgument('file_name', `is required, at most ${FILE_NAME_MAX} characters`);
    const parentType = fields.get('parent_type');
    if (parentType !== 'calendar') throw invalidArgument('parent_type', `rili stores calendar attachments only; got ${parentType ?? 'nothing'}`);
    if (!fields.get('parent_node')) throw invalidArgument('parent_node', 'is required');
    const declared = fields.get('size') ?? '';
    if (!/^\d{1,9}$/.test(declared)) throw invalidArgument('size', 'must be the file size in bytes');
    if (received === undefined) throw invalidArgument('file', 'is required');
    if (Number(declared) !== received) throw invalidArgument('size', `says ${declared} bytes, but the file has ${received}`);
    const stored = await ctx.files.upload(actor, { name, size: received });
    return { file_token: stored.fileToken };
  },
});
