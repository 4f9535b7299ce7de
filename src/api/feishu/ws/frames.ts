/**
 * The frames of Feishu's long connection: protobuf `pbbp2.Frame` (the schema below is written from
 * the field numbers the node and Go SDKs decode, not copied from them). Control frames (method 0)
 * carry `type=ping` / `type=pong`; data frames (method 1) carry `type=event`, `message_id`, `sum`,
 * `seq`, `trace_id` and the event's plaintext JSON as payload, and come back as the client's
 * acknowledgement with a `biz_rt` header and `{"code":200}` (500 when its handler threw).
 */
import protobuf from 'protobufjs';

const PBBP2 = `
syntax = "proto2";
package pbbp2;
message Header {
  required string key = 1;
  required string value = 2;
}
message Frame {
  required uint64 SeqID = 1;
  required uint64 LogID = 2;
  required int32 service = 3;
  required int32 method = 4;
  repeated Header headers = 5;
  optional string payload_encoding = 6;
  optional string payload_type = 7;
  optional bytes payload = 8;
  optional string LogIDNew = 9;
}
`;

const FrameType = protobuf.parse(PBBP2, { keepCase: true }).root.lookupType('pbbp2.Frame');

export const METHOD_CONTROL = 0;
export const METHOD_DATA = 1;

export interface Frame {
  readonly SeqID: number;
  readonly LogID: number;
  readonly service: number;
  readonly method: number;
  readonly headers: ReadonlyArray<{ readonly key: string; readonly value: string }>;
  readonly payload?: Uint8Array;
}

export function encodeFrame(frame: Frame): Uint8Array {
  return FrameType.encode(FrameType.fromObject(frame)).finish();
}

/** Decodes a frame; throws on bytes that are not one. */
export function decodeFrame(bytes: Uint8Array): Frame {
  const o = FrameType.toObject(FrameType.decode(bytes), { longs: Number, defaults: true }) as {
    SeqID: number; LogID: number; service: number; method: number; headers?: Array<{ key: string; value: string }>; payload?: Uint8Array;
  };
  return { SeqID: o.SeqID, LogID: o.LogID, service: o.service, method: o.method, headers: o.headers ?? [], ...(o.payload ? { payload: o.payload } : {}) };
}

export const headerOf = (frame: Frame, key: string): string | undefined => frame.headers.find((h) => h.key === key)?.value;
