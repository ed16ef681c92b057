/* test-auth.c — password hashing, tokens and the login limiter (DESIGN §5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sm-auth.h"
#include "sm-login-limiter.h"

#define SECOND G_USEC_PER_SEC
#define T0 ((gint64) 1000 * SECOND) /* an arbitrary start on the caller's clock */

/* Parameters as the encoded hash spells them. */
#define INTERACTIVE_PREFIX "$argon2id$v=19$m=65536,t=2,p=1$"
#define FAST_PREFIX "$argon2id$v=19$m=8,t=1,p=1$"

static gboolean
is_lower_hex (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;

  return TRUE;
}

/* Most tests hash with the cheap test parameters; the ones that check the real
 * parameters turn them off for their duration. */
static void
set_fast_hash (gboolean fast)
{
  if (fast)
    g_setenv ("SANMEN_AUTH_FAST_HASH", "1", TRUE);
  else
    g_unsetenv ("SANMEN_AUTH_FAST_HASH");
}

/* ---- passwords ---- */

static void
test_init (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sm_auth_init (&error));
  g_assert_no_error (error);
  /* Idempotent. */
  g_assert_true (sm_auth_init (&error));
  g_assert_no_error (error);
}

static void
test_hash_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;

  set_fast_hash (FALSE);
  hash = sm_auth_hash_password ("correct horse battery", &error);
  set_fast_hash (TRUE);
  g_assert_no_error (error);
  g_assert_nonnull (hash);

  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_true (g_str_has_prefix (hash, INTERACTIVE_PREFIX));
  g_assert_null (strstr (hash, "correct horse"));

  g_assert_true (sm_auth_verify_password (hash, "correct horse battery"));
  g_assert_false (sm_auth_verify_password (hash, "correct horse batterY"));
  g_assert_false (sm_auth_verify_password (hash, "correct horse battery "));
  g_assert_false (sm_auth_verify_password (hash, ""));
}

static void
test_hash_fast (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *real = NULL;

  hash = sm_auth_hash_password ("网格员的密码2024", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hash, FAST_PREFIX));
  g_assert_true (sm_auth_verify_password (hash, "网格员的密码2024"));
  g_assert_false (sm_auth_verify_password (hash, "网格员的密码2025"));

  /* A hash made either way verifies either way: the parameters travel in the string. */
  set_fast_hash (FALSE);
  g_assert_true (sm_auth_verify_password (hash, "网格员的密码2024"));
  real = sm_auth_hash_password ("网格员的密码2024", &error);
  set_fast_hash (TRUE);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (real, INTERACTIVE_PREFIX));
  g_assert_true (sm_auth_verify_password (real, "网格员的密码2024"));
}

static void
test_hash_salted (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = sm_auth_hash_password ("same password", &error);
  g_autofree char *b = NULL;

  g_assert_no_error (error);
  b = sm_auth_hash_password ("same password", &error);
  g_assert_no_error (error);

  g_assert_cmpstr (a, !=, b);
  g_assert_true (sm_auth_verify_password (a, "same password"));
  g_assert_true (sm_auth_verify_password (b, "same password"));
}

static void
test_hash_refused (void)
{
  const struct {
    gsize    len;
    gboolean accepted;
  } cases[] = {
    { 0, FALSE },
    { 1, FALSE },
    { 7, FALSE },
    { 8, TRUE },
    { 9, TRUE },
    { 1024, TRUE },
    { 1025, FALSE },
    { 100000, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *password = g_strnfill (cases[i].len, 'x');
      g_autofree char *hash = sm_auth_hash_password (password, &error);

      g_test_message ("length %" G_GSIZE_FORMAT, cases[i].len);
      if (cases[i].accepted)
        {
          g_assert_no_error (error);
          g_assert_true (sm_auth_verify_password (hash, password));
        }
      else
        {
          g_assert_error (error, SM_AUTH_ERROR, SM_AUTH_ERROR_WEAK_PASSWORD);
          g_assert_null (hash);
          /* Says what to do, and never echoes the password. */
          g_assert_cmpstr (error->message, !=, "");
          if (cases[i].len > 0)
            g_assert_null (strstr (error->message, password));
        }
    }

  /* Three Chinese characters are nine bytes: the limit counts bytes. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *hash = sm_auth_hash_password ("网格员", &error);

    g_assert_no_error (error);
    g_assert_nonnull (hash);
  }
}

static void
test_verify_garbage (void)
{
  g_autofree char *long_password = g_strnfill (SM_AUTH_PASSWORD_MAX_BYTES + 1, 'x');

  g_assert_false (sm_auth_verify_password ("", "password"));
  g_assert_false (sm_auth_verify_password ("not a hash", "password"));
  g_assert_false (sm_auth_verify_password ("$argon2id$v=19$m=8,t=1,p=1$", "password"));
  g_assert_false (sm_auth_verify_password (FAST_PREFIX "AAAA$AAAA", long_password));
}

/* An unknown user must cost what a wrong password costs, or answer times tell which
 * logins exist. In a process of its own, with the real parameters from its start: the
 * dummy hash is made once per process. The slower of two runs of each is compared, so
 * that a moment of load cannot make either look cheap. */
static void
test_burn_time_subprocess (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  gint64 verify = 0, burn = 0;

  set_fast_hash (FALSE);
  g_assert_true (sm_auth_init (&error));
  hash = sm_auth_hash_password ("the real password", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 2; i++)
    {
      gint64 start = g_get_monotonic_time ();

      g_assert_false (sm_auth_verify_password (hash, "a wrong one"));
      verify = MAX (verify, g_get_monotonic_time () - start);
      start = g_get_monotonic_time ();
      sm_auth_burn_time (i == 0 ? "whatever was typed" : "网格员");
      burn = MAX (burn, g_get_monotonic_time () - start);
    }
  g_test_message ("wrong password %.0f ms, unknown user %.0f ms", verify / 1000.0, burn / 1000.0);
  g_assert_cmpint (burn, >=, verify / 2);
}

static void
test_burn_time (void)
{
  if (g_test_subprocess ())
    {
      test_burn_time_subprocess ();
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR | G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_passed ();
}

/* ---- tokens ---- */

static void
test_token_random (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 1000; i++)
    {
      char *token = sm_auth_new_token ();

      g_assert_cmpuint (strlen (token), ==, 64);
      g_assert_true (is_lower_hex (token));
      g_assert_true (sm_auth_token_is_wellformed (token));
      g_assert_true (g_hash_table_add (seen, token));
    }

  g_assert_cmpuint (g_hash_table_size (seen), ==, 1000);
}

static void
test_token_hash (void)
{
  g_autofree char *token = sm_auth_new_token ();
  g_autofree char *h1 = sm_auth_hash_token (token);
  g_autofree char *h2 = sm_auth_hash_token (token);
  g_autofree char *other = sm_auth_new_token ();
  g_autofree char *h3 = sm_auth_hash_token (other);
  g_autofree char *known = sm_auth_hash_token ("abc");

  g_assert_cmpstr (h1, ==, h2);
  g_assert_cmpstr (h1, !=, token);
  g_assert_cmpstr (h1, !=, h3);
  g_assert_cmpuint (strlen (h1), ==, 64);
  g_assert_true (sm_auth_token_is_wellformed (h1));

  /* SHA-256 ("abc"), FIPS 180-2 appendix B.1. */
  g_assert_cmpstr (known, ==,
                   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_token_wellformed (void)
{
  const struct {
    const char *text;
    gboolean    ok;
  } cases[] = {
    { "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", TRUE },
    { "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", TRUE },
    { "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", FALSE },
    { "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", FALSE },
    { "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", FALSE },
    { "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg", FALSE },
    { "0123456789abcdef0123456789abcdef 123456789abcdef0123456789abcdef", FALSE },
    { "", FALSE },
    { NULL, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpint (sm_auth_token_is_wellformed (cases[i].text), ==, cases[i].ok);
    }
}

/* ---- login limiter ---- */

static SmLoginLimiter *
new_server_limiter (void)
{
  return sm_login_limiter_new (5, 60 * SECOND, 60 * SECOND);
}

static void
fail_n (SmLoginLimiter *limiter,
        const char     *login,
        guint           n,
        gint64          at)
{
  for (guint i = 0; i < n; i++)
    sm_login_limiter_record_failure (limiter, login, at + i * SECOND);
}

static void
test_limiter_lock (void)
{
  g_autoptr(SmLoginLimiter) limiter = new_server_limiter ();
  gint retry = -1;

  g_assert_true (sm_login_limiter_check (limiter, "alice", T0, &retry));
  g_assert_cmpint (retry, ==, 0);

  /* Four failures at T0 … T0+3 s do not lock. */
  fail_n (limiter, "alice", 4, T0);
  g_assert_true (sm_login_limiter_check (limiter, "alice", T0 + 4 * SECOND, &retry));
  g_assert_cmpint (retry, ==, 0);

  /* The fifth, at T0+4 s, does, for 60 s from then. */
  sm_login_limiter_record_failure (limiter, "alice", T0 + 4 * SECOND);
  g_assert_false (sm_login_limiter_check (limiter, "alice", T0 + 4 * SECOND, &retry));
  g_assert_cmpint (retry, ==, 60);
  g_assert_false (sm_login_limiter_check (limiter, "alice", T0 + 4 * SECOND + 1, &retry));
  g_assert_cmpint (retry, ==, 60);
  g_assert_false (sm_login_limiter_check (limiter, "alice", T0 + 34 * SECOND + 1, &retry));
  g_assert_cmpint (retry, ==, 30);
  /* Rounded up, never 0 while locked. */
  g_assert_false (sm_login_limiter_check (limiter, "alice", T0 + 64 * SECOND - 1, &retry));
  g_assert_cmpint (retry, ==, 1);
  g_assert_false (sm_login_limiter_check (limiter, "alice", T0 + 64 * SECOND - 1, NULL));

  /* Unlocked once the lockout is over, with a clean count. */
  g_assert_true (sm_login_limiter_check (limiter, "alice", T0 + 64 * SECOND, &retry));
  g_assert_cmpint (retry, ==, 0);
  fail_n (limiter, "alice", 4, T0 + 64 * SECOND);
  g_assert_true (sm_login_limiter_check (limiter, "alice", T0 + 68 * SECOND, NULL));
  sm_login_limiter_record_failure (limiter, "alice", T0 + 68 * SECOND);
  g_assert_false (sm_login_limiter_check (limiter, "alice", T0 + 68 * SECOND, &retry));
  g_assert_cmpint (retry, ==, 60);
}

static void
test_limiter_no_extension (void)
{
  g_autoptr(SmLoginLimiter) limiter = new_server_limiter ();
  gint retry = -1;

  fail_n (limiter, "bob", 5, T0); /* locked at T0+4 s until T0+64 s */

  /* Attempts while locked count for nothing. */
  for (gint64 t = T0 + 5 * SECOND; t < T0 + 64 * SECOND; t += 5 * SECOND)
    {
      g_assert_false (sm_login_limiter_check (limiter, "bob", t, NULL));
      sm_login_limiter_record_failure (limiter, "bob", t);
    }
  sm_login_limiter_record_failure (limiter, "bob", T0 + 64 * SECOND - 1);

  g_assert_false (sm_login_limiter_check (limiter, "bob", T0 + 63 * SECOND, &retry));
  g_assert_cmpint (retry, ==, 1);
  g_assert_true (sm_login_limiter_check (limiter, "bob", T0 + 64 * SECOND, &retry));
  g_assert_cmpint (retry, ==, 0);

  /* … and they did not pile up towards the next lock either. */
  fail_n (limiter, "bob", 4, T0 + 64 * SECOND);
  g_assert_true (sm_login_limiter_check (limiter, "bob", T0 + 68 * SECOND, NULL));
}

static void
test_limiter_window (void)
{
  g_autoptr(SmLoginLimiter) limiter = new_server_limiter ();
  gint64 t1;

  /* Four failures, then a long pause: they leave the window. */
  fail_n (limiter, "carol", 4, T0);
  sm_login_limiter_record_failure (limiter, "carol", T0 + 3 * SECOND + 60 * SECOND);
  g_assert_true (sm_login_limiter_check (limiter, "carol", T0 + 63 * SECOND, NULL));
  fail_n (limiter, "carol", 3, T0 + 64 * SECOND);
  g_assert_true (sm_login_limiter_check (limiter, "carol", T0 + 66 * SECOND, NULL));
  sm_login_limiter_record_failure (limiter, "carol", T0 + 67 * SECOND);
  g_assert_false (sm_login_limiter_check (limiter, "carol", T0 + 67 * SECOND, NULL));

  /* The window slides: failures at 0, 10, 20, 30 s and 65 s are four within any 60 s;
   * one more at 66 s makes five within 10 … 66 s. */
  t1 = T0 + 1000 * SECOND;
  fail_n (limiter, "dave", 1, t1);
  fail_n (limiter, "dave", 1, t1 + 10 * SECOND);
  fail_n (limiter, "dave", 1, t1 + 20 * SECOND);
  fail_n (limiter, "dave", 1, t1 + 30 * SECOND);
  fail_n (limiter, "dave", 1, t1 + 65 * SECOND);
  g_assert_true (sm_login_limiter_check (limiter, "dave", t1 + 65 * SECOND, NULL));
  fail_n (limiter, "dave", 1, t1 + 66 * SECOND);
  g_assert_false (sm_login_limiter_check (limiter, "dave", t1 + 66 * SECOND, NULL));
}

static void
test_limiter_success (void)
{
  g_autoptr(SmLoginLimiter) limiter = new_server_limiter ();

  fail_n (limiter, "erin", 4, T0);
  sm_login_limiter_record_success (limiter, "erin");
  fail_n (limiter, "erin", 4, T0 + 4 * SECOND);
  g_assert_true (sm_login_limiter_check (limiter, "erin", T0 + 8 * SECOND, NULL));
  sm_login_limiter_record_failure (limiter, "erin", T0 + 8 * SECOND);
  g_assert_false (sm_login_limiter_check (limiter, "erin", T0 + 8 * SECOND, NULL));

  /* Success for a login never seen is harmless. */
  sm_login_limiter_record_success (limiter, "nobody");
}

static void
test_limiter_logins (void)
{
  g_autoptr(SmLoginLimiter) limiter = new_server_limiter ();

  /* One login under several spellings of its case. */
  sm_login_limiter_record_failure (limiter, "Zhang.Wei", T0);
  sm_login_limiter_record_failure (limiter, "ZHANG.WEI", T0 + 1);
  sm_login_limiter_record_failure (limiter, "zhang.wei", T0 + 2);
  sm_login_limiter_record_failure (limiter, "zHaNg.WeI", T0 + 3);
  g_assert_cmpuint (sm_login_limiter_get_size (limiter), ==, 1);
  g_assert_true (sm_login_limiter_check (limiter, "zhang.wei", T0 + 4, NULL));

  /* Another login is counted on its own. */
  fail_n (limiter, "li.na", 4, T0);
  g_assert_cmpuint (sm_login_limiter_get_size (limiter), ==, 2);

  sm_login_limiter_record_failure (limiter, "Zhang.wei", T0 + 5);
  g_assert_false (sm_login_limiter_check (limiter, "ZHANG.WEI", T0 + 6, NULL));
  g_assert_true (sm_login_limiter_check (limiter, "li.na", T0 + 6, NULL));
  g_assert_true (sm_login_limiter_check (limiter, "LI.NA", T0 + 6, NULL));

  /* Unicode case folding, not just ASCII. */
  fail_n (limiter, "Straße", 2, T0);
  fail_n (limiter, "STRASSE", 3, T0 + 2 * SECOND);
  g_assert_false (sm_login_limiter_check (limiter, "strasse", T0 + 5 * SECOND, NULL));

  /* Success under another case clears it too. */
  sm_login_limiter_record_success (limiter, "zhang.WEI");
  g_assert_true (sm_login_limiter_check (limiter, "Zhang.Wei", T0 + 7, NULL));

  /* Invalid UTF-8 is tracked like any other login, without crashing. */
  fail_n (limiter, "bad\xff\xfe", 5, T0);
  g_assert_false (sm_login_limiter_check (limiter, "bad\xff\xfe", T0 + 5 * SECOND, NULL));
}

static void
test_limiter_long_login (void)
{
  g_autoptr(SmLoginLimiter) limiter = new_server_limiter ();
  g_autofree char *huge = g_strnfill (1 << 20, 'A');
  g_autofree char *huge_lower = g_strnfill (1 << 20, 'a');
  g_autofree char *almost = g_strnfill (1 << 20, 'a');

  almost[(1 << 20) - 1] = 'b';
  fail_n (limiter, huge, 4, T0);
  sm_login_limiter_record_failure (limiter, huge_lower, T0 + 4 * SECOND);
  g_assert_false (sm_login_limiter_check (limiter, huge, T0 + 5 * SECOND, NULL));
  g_assert_true (sm_login_limiter_check (limiter, almost, T0 + 5 * SECOND, NULL));
}

static void
test_limiter_bounded (void)
{
  g_autoptr(SmLoginLimiter) limiter = new_server_limiter ();
  const guint n = 200000;
  gint64 t = T0;

  /* A client cycling through random logins, all within one window. */
  for (guint i = 0; i < n; i++)
    {
      char login[32];

      g_snprintf (login, sizeof login, "user%u", i);
      sm_login_limiter_record_failure (limiter, login, t + i);
      g_assert_cmpuint (sm_login_limiter_get_size (limiter), <=, SM_LOGIN_LIMITER_MAX_ENTRIES);
    }
  g_assert_cmpuint (sm_login_limiter_get_size (limiter), ==, SM_LOGIN_LIMITER_MAX_ENTRIES);
  g_assert_cmpuint (SM_LOGIN_LIMITER_MAX_ENTRIES, <=, 100000);

  /* The newest are still tracked; the oldest were dropped. */
  fail_n (limiter, "user199999", 4, t + n);
  g_assert_false (sm_login_limiter_check (limiter, "user199999", t + n + 4 * SECOND, NULL));
  fail_n (limiter, "user0", 4, t + n);
  g_assert_true (sm_login_limiter_check (limiter, "user0", t + n + 4 * SECOND, NULL));

  /* Entries that no longer matter go as calls come in. */
  t += 2 * 60 * SECOND + n;
  g_assert_true (sm_login_limiter_check (limiter, "someone", t, NULL));
  g_assert_cmpuint (sm_login_limiter_get_size (limiter), ==, 0);

  /* Pruning also keeps a slow steady trickle small. */
  for (guint i = 0; i < 1000; i++)
    {
      char login[32];

      g_snprintf (login, sizeof login, "slow%u", i);
      sm_login_limiter_record_failure (limiter, login, t + i * SECOND);
    }
  g_assert_cmpuint (sm_login_limiter_get_size (limiter), <=, 61);
}

typedef struct {
  SmLoginLimiter *limiter;
  guint           index;
} ThreadData;

static gpointer
limiter_thread (gpointer user_data)
{
  ThreadData *data = user_data;

  for (guint i = 0; i < 20000; i++)
    {
      char login[32];

      g_snprintf (login, sizeof login, "t%u-%u", data->index, i % 500);
      if (sm_login_limiter_check (data->limiter, login, T0 + i, NULL))
        sm_login_limiter_record_failure (data->limiter, login, T0 + i);
      if (i % 7 == 0)
        sm_login_limiter_record_success (data->limiter, login);
    }

  return NULL;
}

static void
test_limiter_threads (void)
{
  g_autoptr(SmLoginLimiter) limiter = new_server_limiter ();
  ThreadData data[4];
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      data[i] = (ThreadData) { limiter, i };
      threads[i] = g_thread_new ("limiter", limiter_thread, &data[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (sm_login_limiter_get_size (limiter), <=, 4 * 500);
}

static void
test_limiter_finalize (void)
{
  SmLoginLimiter *limiter = new_server_limiter ();

  fail_n (limiter, "frank", 5, T0);
  fail_n (limiter, "grace", 2, T0);
  g_assert_finalize_object (limiter);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* The cheap parameters, as the server's tests use them; tests of the real ones
   * switch them off while they run. */
  set_fast_hash (TRUE);

  g_test_add_func ("/server/auth/init", test_init);
  g_test_add_func ("/server/auth/hash-verify", test_hash_verify);
  g_test_add_func ("/server/auth/hash-fast", test_hash_fast);
  g_test_add_func ("/server/auth/hash-salted", test_hash_salted);
  g_test_add_func ("/server/auth/hash-refused", test_hash_refused);
  g_test_add_func ("/server/auth/verify-garbage", test_verify_garbage);
  g_test_add_func ("/server/auth/burn-time", test_burn_time);
  g_test_add_func ("/server/auth/token-random", test_token_random);
  g_test_add_func ("/server/auth/token-hash", test_token_hash);
  g_test_add_func ("/server/auth/token-wellformed", test_token_wellformed);
  g_test_add_func ("/server/login-limiter/lock", test_limiter_lock);
  g_test_add_func ("/server/login-limiter/no-extension", test_limiter_no_extension);
  g_test_add_func ("/server/login-limiter/window", test_limiter_window);
  g_test_add_func ("/server/login-limiter/success", test_limiter_success);
  g_test_add_func ("/server/login-limiter/logins", test_limiter_logins);
  g_test_add_func ("/server/login-limiter/long-login", test_limiter_long_login);
  g_test_add_func ("/server/login-limiter/bounded", test_limiter_bounded);
  g_test_add_func ("/server/login-limiter/threads", test_limiter_threads);
  g_test_add_func ("/server/login-limiter/finalize", test_limiter_finalize);

  return g_test_run ();
}
