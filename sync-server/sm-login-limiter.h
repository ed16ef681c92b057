/* sm-login-limiter.h — locks a login out after repeated failed passwords (DESIGN §4: 429)
 *
 * The max_failures-th failure for one login within any window_us locks that login for
 * lockout_us counted from that failure. Attempts while locked are refused without being
 * counted, so they do not extend the lock; a success clears the login's record. Logins are
 * compared case-insensitively (Unicode case folding), as the server compares them.
 *
 * Memory is bounded: entries that can no longer matter are pruned as calls come in, and
 * at most SM_LOGIN_LIMITER_MAX_ENTRIES logins are tracked (the least recently failed are
 * dropped first), so a client cycling through random logins cannot grow the table.
 *
 * Times are microseconds from one clock the caller chooses, normally
 * g_get_monotonic_time (), and must not go backwards. Thread-safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SM_LOGIN_LIMITER_MAX_ENTRIES 100000

/* The largest max_failures accepted: each tracked login keeps that many timestamps. */
#define SM_LOGIN_LIMITER_MAX_FAILURES 1000

#define SM_TYPE_LOGIN_LIMITER (sm_login_limiter_get_type ())
G_DECLARE_FINAL_TYPE (SmLoginLimiter, sm_login_limiter, SM, LOGIN_LIMITER, GObject)

SmLoginLimiter *sm_login_limiter_new            (guint           max_failures,
                                                 gint64          window_us,
                                                 gint64          lockout_us);
gboolean        sm_login_limiter_check          (SmLoginLimiter *self,
                                                 const char     *login,
                                                 gint64          now_us,
                                                 gint           *out_retry_after_s);
void            sm_login_limiter_record_failure (SmLoginLimiter *self,
                                                 const char     *login,
                                                 gint64          now_us);
void            sm_login_limiter_record_success (SmLoginLimiter *self,
                                                 const char     *login);
guint           sm_login_limiter_get_size       (SmLoginLimiter *self);

G_END_DECLS
