/**
 * Invites as the HTTP API speaks them (SPEC §6, docs/protocol.md): the body
 * of `POST /api/sessions/:id/invites` and the lifetimes an owner chooses from.
 */
import { z } from 'zod';
import { IdSchema } from './ids.ts';

/** A person's or device's name as the others see it. */
export const DisplayNameSchema = z.string().trim().min(1).max(40);

/** How long an invite link works: an hour, a day, a week, or until the owner revokes it. */
export const INVITE_LIFETIMES = ['1h', '1d', '1w', 'until_revoked'] as const;
export type InviteLifetime = (typeof INVITE_LIFETIMES)[number];

/** Each lifetime in seconds (null: no end). */
export const INVITE_LIFETIME_S: Record<InviteLifetime, number | null> = { '1h': 3600, '1d': 86_400, '1w': 604_800, until_revoked: null };

/** Roles an invite can grant (an admin is never invited). */
export const INVITE_ROLES = ['owner', 'editor', 'viewer'] as const;
export type InviteRole = (typeof INVITE_ROLES)[number];

/** `surface`: a control surface (opens with audio off); `device`: a collaborator's own device. */
export const INVITE_PURPOSES = ['surface', 'device'] as const;
export type InvitePurpose = (typeof INVITE_PURPOSES)[number];

/** The body of `POST /api/sessions/:id/invites`; every field has a default. */
export const InviteRequestSchema = z.strictObject({
  role: z.enum(INVITE_ROLES).default('editor'),
  lifetime: z.enum(INVITE_LIFETIMES).default('1d'),
  /** An invite that does not say is for a collaborator's own device (it opens with audio on). */
  purpose: z.enum(INVITE_PURPOSES).default('device'),
  /** The invited user's id (`changed_by` of their ops); a fresh guest id by default. */
  user: IdSchema.optional(),
  /** What the others see for the invited device ("Tablet", "Sam"); the link carries it. */
  name: DisplayNameSchema.optional(),
});
export type InviteRequest = z.infer<typeof InviteRequestSchema>;

/** An invite as `POST` answers it and `GET …/invites` lists it. */
export const InviteSchema = z.strictObject({
  id: IdSchema,
  role: z.enum(INVITE_ROLES),
  user: z.string(),
  purpose: z.enum(INVITE_PURPOSES),
  lifetime: z.enum(INVITE_LIFETIMES),
  created_at: z.string(),
  /** ISO time; null: until revoked. */
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  /** Only in the answer to `POST`: the link and its token. */
  url: z.string().optional(),
  token: z.string().optional(),
  /**
   * Only in the answer to `POST`, when `url` points at a loopback address (a
   * relay reached as 127.0.0.1): the same link on each LAN address the relay
   * listens on, for another device to open; empty when it listens on loopback only.
   */
  lan_urls: z.array(z.string()).optional(),
});
export type Invite = z.infer<typeof InviteSchema>;

/** Whether a link's host is the machine's own loopback (127.0.0.0/8, ::1, localhost): no other device can open it. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
