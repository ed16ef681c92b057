/* sm-auth.h — password hashing and bearer tokens (DESIGN §5)
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str, OPSLIMIT/MEMLIMIT
 * INTERACTIVE); the encoded string carries its own salt and parameters, so a hash made
 * with other parameters still verifies. Tokens are 256 random bits written as 64
 * lowercase hex digits; the server stores only their SHA-256 (a fast hash is right for
 * high-entropy secrets, and lets the server look a token up by its hash).
 *
 * For tests only: with SANMEN_AUTH_FAST_HASH=1 in the environment, new password hashes
 * use crypto_pwhash_OPSLIMIT_MIN/MEMLIMIT_MIN, which are cheap and therefore weak. The
 * server's tests create many users; a deployment must never set this variable.
 *
 * All functions are thread-safe. Nothing here logs a password or a token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SM_AUTH_ERROR (sm_auth_error_quark ())
GQuark sm_auth_error_quark (void);

typedef enum {
  SM_AUTH_ERROR_FAILED,        /* libsodium could not start, or hashing ran out of memory */
  SM_AUTH_ERROR_WEAK_PASSWORD, /* refused by policy: too short, or too long (see below) */
} SmAuthError;

/* Passwords are counted in bytes of UTF-8, not characters. */
#define SM_AUTH_PASSWORD_MIN_BYTES 8
#define SM_AUTH_PASSWORD_MAX_BYTES 1024

/* A token as text: 64 lowercase hex digits (256 bits). Its hash has the same form. */
#define SM_AUTH_TOKEN_STRING_LEN 64

gboolean  sm_auth_init                (GError     **error);

char     *sm_auth_hash_password       (const char  *password,
                                       GError     **error);
gboolean  sm_auth_verify_password     (const char  *hash,
                                       const char  *password);
void      sm_auth_burn_time           (const char  *password);

char     *sm_auth_new_token           (void);
char     *sm_auth_hash_token          (const char  *token);
gboolean  sm_auth_token_is_wellformed (const char  *token);

G_END_DECLS
