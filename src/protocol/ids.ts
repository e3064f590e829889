import { z } from 'zod';

/**
 * Ids are generated on the client, URL-safe, at most 64 characters (SPEC §3),
 * so that anything can be created offline without asking the relay.
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Schema for any client-generated id. */
export const IdSchema = z.string().regex(ID_PATTERN, 'must be 1-64 URL-safe characters (A-Z a-z 0-9 _ -)');

export type SessionId = string;
export type TrackId = string;
export type PluginId = string;
export type PresetId = string;
export type UserId = string;
export type MessageId = string;
/** Relay delivery order and resume cursor. */
export type Seq = number;
/** Hybrid logical clock stamp; see `model/hlc.ts` for the format. */
export type Hlc = string;

/** The master bus is addressed as this track id. */
export const MASTER_TRACK_ID = 'master';

/** HLC stamps: `<15-digit wall ms>:<5-digit counter>:<node id>`, ordered as strings. */
export const HLC_PATTERN = /^\d{15}:\d{5}:[A-Za-z0-9_-]{1,32}$/;
export const HlcSchema = z.string().regex(HLC_PATTERN, 'must be an HLC stamp "<15 digits>:<5 digits>:<node>"');

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** A random URL-safe id, `prefix_` + 16 chars (96 bits). Works in browsers, workers and Node. */
export function newId(prefix: string): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let out = `${prefix}_`;
  for (const b of bytes) out += ALPHABET[b & 63];
  return out;
}
