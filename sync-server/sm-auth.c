/* sm-auth.c — password hashing and bearer tokens with libsodium (DESIGN §5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-server"

#include "sm-auth.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

G_DEFINE_QUARK (sm-auth-error-quark, sm_auth_error)

G_STATIC_ASSERT (SM_AUTH_TOKEN_STRING_LEN == 2 * crypto_hash_sha256_BYTES);

#define TOKEN_BYTES (SM_AUTH_TOKEN_STRING_LEN / 2)

/* ---------------------------------------------------------------- helpers */

static gboolean
ensure_sodium (void)
{
  /* sodium_init () is thread-safe and returns 1 once already done. */
  return sodium_init () >= 0;
}

static gboolean
ensure_sodium_or_error (GError **error)
{
  if (!ensure_sodium ())
    {
      g_set_error_literal (error, SM_AUTH_ERROR, SM_AUTH_ERROR_FAILED,
                           _("The cryptography library could not be started."));
      return FALSE;
    }

  return TRUE;
}

/* SANMEN_AUTH_FAST_HASH=1 selects the cheapest Argon2id parameters: for test suites that
 * create many users, never for a deployment. Read on each call so tests may switch it. */
static gboolean
use_fast_hash (void)
{
  static gint warned = 0;

  if (g_strcmp0 (g_getenv ("SANMEN_AUTH_FAST_HASH"), "1") != 0)
    return FALSE;

  if (g_atomic_int_compare_and_exchange (&warned, 0, 1))
    g_message ("SANMEN_AUTH_FAST_HASH=1: new password hashes are weak (tests only)");

  return TRUE;
}

/* Hashes with the current parameters; the caller has checked the length. */
static char *
hash_password_unchecked (const char  *password,
                         gsize        len,
                         GError     **error)
{
  char out[crypto_pwhash_STRBYTES];
  unsigned long long opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

  g_assert (password != NULL);

  if (use_fast_hash ())
    {
      opslimit = crypto_pwhash_OPSLIMIT_MIN;
      memlimit = crypto_pwhash_MEMLIMIT_MIN;
    }

  if (crypto_pwhash_str_alg (out, password, len, opslimit, memlimit,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      /* Only fails when the memory for Argon2 cannot be had. */
      g_set_error_literal (error, SM_AUTH_ERROR, SM_AUTH_ERROR_FAILED,
                           _("The server is too busy to set the password. Try again later."));
      return NULL;
    }

  return g_strdup (out);
}

/* The hash that sm_auth_burn_time () verifies against, made once per process from a
 * random password nobody knows. */
static const char *
get_dummy_hash (void)
{
  static gsize dummy = 0;

  if (g_once_init_enter (&dummy))
    {
      g_autofree char *secret = sm_auth_new_token ();
      g_autoptr(GError) error = NULL;
      char *hash;

      hash = hash_password_unchecked (secret, strlen (secret), &error);
      sodium_memzero (secret, strlen (secret));
      if (hash == NULL)
        {
          /* Without it, unknown users answer faster than wrong passwords. */
          g_warning ("Cannot make the dummy password hash: %s", error->message);
          hash = g_strdup ("");
        }

      g_once_init_leave (&dummy, (gsize) hash);
    }

  return (const char *) dummy;
}

/* ---------------------------------------------------------------- public API */

/**
 * sm_auth_init:
 * @error: return location for a #GError
 *
 * Starts libsodium and makes the dummy hash of sm_auth_burn_time (), so that the first
 * login costs no more than the others. Idempotent and thread-safe; the other functions
 * start libsodium themselves, but a server calls this once at startup to fail early.
 *
 * Returns: %TRUE on success; %FALSE with %SM_AUTH_ERROR_FAILED otherwise
 */
gboolean
sm_auth_init (GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ensure_sodium_or_error (error))
    return FALSE;

  (void) get_dummy_hash ();

  return TRUE;
}

/**
 * sm_auth_hash_password:
 * @password: the password, UTF-8
 * @error: return location for a #GError
 *
 * Hashes @password with Argon2id and a fresh random salt. Passwords shorter than
 * %SM_AUTH_PASSWORD_MIN_BYTES or longer than %SM_AUTH_PASSWORD_MAX_BYTES are refused
 * with %SM_AUTH_ERROR_WEAK_PASSWORD and a message meant for the person choosing it.
 *
 * Returns: (transfer full): the encoded hash ("$argon2id$…"), or %NULL with @error set
 */
char *
sm_auth_hash_password (const char  *password,
                       GError     **error)
{
  gsize len;

  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ensure_sodium_or_error (error))
    return NULL;

  len = strlen (password);
  if (len < SM_AUTH_PASSWORD_MIN_BYTES)
    {
      g_set_error (error, SM_AUTH_ERROR, SM_AUTH_ERROR_WEAK_PASSWORD,
                   _("This password is too short. Use at least %d letters, digits or symbols."),
                   SM_AUTH_PASSWORD_MIN_BYTES);
      return NULL;
    }
  if (len > SM_AUTH_PASSWORD_MAX_BYTES)
    {
      g_set_error (error, SM_AUTH_ERROR, SM_AUTH_ERROR_WEAK_PASSWORD,
                   _("This password is too long. Use at most %d letters, digits or symbols."),
                   SM_AUTH_PASSWORD_MAX_BYTES);
      return NULL;
    }

  return hash_password_unchecked (password, len, error);
}

/**
 * sm_auth_verify_password:
 * @hash: an encoded hash from sm_auth_hash_password ()
 * @password: the password to check
 *
 * Checks @password against @hash in constant time for its length. The Argon2 parameters
 * are read from @hash, so hashes made with SANMEN_AUTH_FAST_HASH verify as well.
 * A password longer than %SM_AUTH_PASSWORD_MAX_BYTES never matches (no hash of one can
 * exist) and is not hashed, which bounds the work one request can ask for.
 *
 * Returns: %TRUE if @password matches
 */
gboolean
sm_auth_verify_password (const char *hash,
                         const char *password)
{
  gsize len;

  g_return_val_if_fail (hash != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (!ensure_sodium ())
    return FALSE;

  len = strlen (password);
  if (len > SM_AUTH_PASSWORD_MAX_BYTES)
    return FALSE;

  return crypto_pwhash_str_verify (hash, password, len) == 0;
}

/**
 * sm_auth_burn_time:
 * @password: the password that was offered
 *
 * Verifies @password against a dummy hash made once per process, and throws the answer
 * away: call it when the user is unknown, so that such a login costs the same time as a
 * wrong password and does not reveal which accounts exist.
 */
void
sm_auth_burn_time (const char *password)
{
  g_return_if_fail (password != NULL);

  if (!ensure_sodium ())
    return;

  (void) sm_auth_verify_password (get_dummy_hash (), password);
}

/**
 * sm_auth_new_token:
 *
 * Draws a new bearer token from the system's secure random source.
 *
 * Returns: (transfer full): 256 random bits as %SM_AUTH_TOKEN_STRING_LEN lowercase hex digits
 */
char *
sm_auth_new_token (void)
{
  unsigned char bytes[TOKEN_BYTES];
  char *hex;

  if (!ensure_sodium ())
    g_error ("The cryptography library could not be started");

  randombytes_buf (bytes, sizeof bytes);
  hex = g_malloc (SM_AUTH_TOKEN_STRING_LEN + 1);
  sodium_bin2hex (hex, SM_AUTH_TOKEN_STRING_LEN + 1, bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);

  return hex;
}

/**
 * sm_auth_hash_token:
 * @token: a token as sent by a client
 *
 * Returns the form in which the server stores and looks up @token.
 *
 * Returns: (transfer full): SHA-256 of @token's bytes as 64 lowercase hex digits
 */
char *
sm_auth_hash_token (const char *token)
{
  unsigned char digest[crypto_hash_sha256_BYTES];
  char *hex;

  g_return_val_if_fail (token != NULL, NULL);

  if (!ensure_sodium ())
    g_error ("The cryptography library could not be started");

  crypto_hash_sha256 (digest, (const unsigned char *) token, strlen (token));
  hex = g_malloc (SM_AUTH_TOKEN_STRING_LEN + 1);
  sodium_bin2hex (hex, SM_AUTH_TOKEN_STRING_LEN + 1, digest, sizeof digest);

  return hex;
}

/**
 * sm_auth_token_is_wellformed:
 * @token: (nullable): text from a client
 *
 * Returns: %TRUE if @token is exactly %SM_AUTH_TOKEN_STRING_LEN lowercase hex digits
 */
gboolean
sm_auth_token_is_wellformed (const char *token)
{
  gsize i;

  if (token == NULL)
    return FALSE;

  for (i = 0; i < SM_AUTH_TOKEN_STRING_LEN; i++)
    {
      char c = token[i];

      /* Stops at a NUL too: it is neither a digit nor a-f. */
      if (!g_ascii_isdigit (c) && !(c >= 'a' && c <= 'f'))
        return FALSE;
    }

  return token[i] == '\0';
}
