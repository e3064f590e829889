/**
 * `GET /api/sessions` (docs/protocol.md): the sessions a token may see on a
 * relay. The relay answers it; the app's Sessions view lists it.
 */
import { z } from 'zod';
import { IdSchema } from './ids.ts';

/** One session as the relay lists it. */
export const SessionListingSchema = z.object({
  id: IdSchema,
  name: z.string(),
  seq: z.number().int().min(0),
  /** Bytes stored: the snapshot plus the kept log. */
  size_bytes: z.number().min(0),
  /** Members connected to the relay right now. */
  members: z.number().int().min(0),
  /** ISO time of the last stored change. */
  updated_at: z.string(),
});
export type SessionListing = z.infer<typeof SessionListingSchema>;

/** The whole answer. */
export const SessionListingsSchema = z.object({ sessions: z.array(SessionListingSchema) });
