/**
 * Zod schemas of what a client sends about its own account: registering,
 * logging in, renewing a token, the password, the profile and privacy.
 * @module
 */
import { z } from "zod";
import { password, pictureUrl } from "./_fields.ts";

/** `POST /api/auth/register`. */
export const registerSchema = z.object({
  username: z.string().regex(/^[A-Za-z0-9_.-]{3,32}$/, "3 to 32 letters, digits, _ . or -"),
  email: z.email().max(254),
  password,
});

/** `POST /api/auth/login`: `login` may be given as `email` or `username`. */
export const loginSchema = z.object({
  email: z.string().min(1).max(254).optional(),
  username: z.string().min(1).max(254).optional(),
  password: z.string().min(1).max(256),
}).refine((v) => v.email !== undefined || v.username !== undefined, {
  message: "email or username is required",
});

/** `PUT /api/auth/password`. */
export const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: password,
});

/**
 * `DELETE /api/auth/me` (extension): the password confirms it; an account of the
 * app's identity provider has none, and a recent login confirms it instead.
 */
export const accountDeleteSchema = z.object({ password: z.string().min(1).max(256).optional() });

/**
 * `POST /api/auth/external` (extension): a token of the app's identity provider
 * (an OpenID Connect ID token is some 1 to 3 KB).
 */
export const externalLoginSchema = z.object({ token: z.string().min(1).max(8192) });

/**
 * The id of an account of the app's identity provider (its token's `sub`):
 * every id the protocol carries fits in 64 characters, and these characters
 * need no care in a URL path, a key or a log line.
 */
export const externalIdSchema = z.string().regex(
  /^[A-Za-z0-9._@|:+-]{1,64}$/,
  "1 to 64 letters, digits or . _ @ | : + -",
);

/** `PUT /api/auth/profile`. */
export const profileSchema = z.object({
  displayName: z.string().trim().min(1).max(64).optional(),
  avatar: z.url().max(2048).nullable().optional(),
});

/** `PUT /api/auth/privacy` (an extension): either setting, or both. */
export const privacySchema = z.object({
  hidePresence: z.boolean().optional(),
  readReceipts: z.boolean().optional(),
}).refine((v) => v.hidePresence !== undefined || v.readReceipts !== undefined, {
  message: "Give hidePresence, readReceipts or both",
});

/** `auth:renew`: a newer token of the same user for the connected socket. */
export const renewTokenSchema = z.object({ token: z.string().min(1).max(4096) });

/** Input types inferred from the schemas. */
export type RegisterInput = z.infer<typeof registerSchema>;
/** Login input. */
export type LoginInput = z.infer<typeof loginSchema>;
/** Password change input. */
export type PasswordChangeInput = z.infer<typeof passwordChangeSchema>;
/** Profile update input. */
export type ProfileInput = z.infer<typeof profileSchema>;

/**
 * `PUT /api/admin/users/:userId` (extension): an account of the app's identity
 * provider, made before its first login or brought in step; the username counts
 * only when it is made.
 */
export const provisionSchema = z.object({
  username: registerSchema.shape.username.optional(),
  displayName: profileSchema.shape.displayName,
  avatar: pictureUrl.optional(),
});
/** An account made or brought in step by a backend (`provisionSchema`). */
export type ProvisionInput = z.infer<typeof provisionSchema>;
