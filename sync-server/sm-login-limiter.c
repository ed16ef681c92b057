/* sm-login-limiter.c — locks a login out after repeated failed passwords
 *
 * Each tracked login keeps the times of its recent failures (at most max_failures, oldest
 * first), so the window slides: four failures spread over a minute and a fifth one just
 * after do not add up unless all five fall within window_us. Entries sit in a queue in
 * the order of their last failure; the head is pruned while it can no longer matter, and
 * dropped when the table is full.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-server"

#include "sm-login-limiter.h"

#include <string.h>

/* Keys longer than this are replaced by a digest, so a huge login costs no more memory. */
#define MAX_KEY_BYTES 128

typedef struct {
  GList   link;             /* in SmLoginLimiter.order; link.data is the entry */
  char   *key;              /* the folded login; owned here, borrowed by the table */
  gint64  locked_until_us;  /* 0 when not locked */
  gint64  last_failure_us;
  guint   n_failures;       /* within the window, when not locked */
  gint64  failures_us[];    /* n_failures times, oldest first */
} Entry;

struct _SmLoginLimiter
{
  GObject     parent_instance;

  GMutex      mutex;
  guint       max_failures;
  gint64      window_us;
  gint64      lockout_us;
  GHashTable *entries;      /* key → Entry */
  GQueue      order;        /* Entry links, least recently failed first */
};

G_DEFINE_FINAL_TYPE (SmLoginLimiter, sm_login_limiter, G_TYPE_OBJECT)

/* ---------------------------------------------------------------- helpers */

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->key);
  g_free (entry);
}

/* Logins are equal when their NFKC forms fold to the same case. Invalid UTF-8 is made
 * valid first: the folding functions must not be given it. */
static char *
make_key (const char *login)
{
  g_autofree char *valid = NULL;
  g_autofree char *normal = NULL;
  char *folded;

  g_assert (login != NULL);

  valid = g_utf8_make_valid (login, -1);
  normal = g_utf8_normalize (valid, -1, G_NORMALIZE_ALL_COMPOSE);
  folded = g_utf8_casefold (normal != NULL ? normal : valid, -1);

  if (strlen (folded) > MAX_KEY_BYTES)
    {
      g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, folded, -1);

      g_free (folded);
      /* 0xff never occurs in UTF-8, so a digest cannot equal a real login. */
      folded = g_strconcat ("\xff", digest, NULL);
    }

  return folded;
}

static gboolean
entry_is_locked (const Entry *entry,
                 gint64       now_us)
{
  return entry->locked_until_us > now_us;
}

/* An entry is stale when forgetting it changes nothing: its lock is over (a lock that
 * ends clears the count), or all its failures are older than the window. */
static gboolean
entry_is_stale (SmLoginLimiter *self,
                const Entry    *entry,
                gint64          now_us)
{
  g_assert (SM_IS_LOGIN_LIMITER (self));

  if (entry->locked_until_us != 0)
    return !entry_is_locked (entry, now_us);

  return entry->n_failures == 0 || now_us - entry->last_failure_us >= self->window_us;
}

static void
remove_entry (SmLoginLimiter *self,
              Entry          *entry)
{
  g_assert (SM_IS_LOGIN_LIMITER (self));

  g_queue_unlink (&self->order, &entry->link);
  g_hash_table_remove (self->entries, entry->key);
}

/* Called with the mutex held. The queue is in order of last failure, so the first entry
 * that still matters ends the sweep; any stale ones behind it go on later calls. */
static void
prune (SmLoginLimiter *self,
       gint64          now_us)
{
  GList *head;

  g_assert (SM_IS_LOGIN_LIMITER (self));

  while ((head = self->order.head) != NULL && entry_is_stale (self, head->data, now_us))
    remove_entry (self, head->data);
}

/* Called with the mutex held: the live entry for @key, or NULL. */
static Entry *
lookup (SmLoginLimiter *self,
        const char     *key,
        gint64          now_us)
{
  Entry *entry;

  g_assert (SM_IS_LOGIN_LIMITER (self));

  entry = g_hash_table_lookup (self->entries, key);
  if (entry != NULL && entry_is_stale (self, entry, now_us))
    {
      remove_entry (self, entry);
      return NULL;
    }

  return entry;
}

/* ---------------------------------------------------------------- GObject */

static void
sm_login_limiter_finalize (GObject *object)
{
  SmLoginLimiter *self = SM_LOGIN_LIMITER (object);

  /* The queue's links live inside the entries the table frees. */
  g_queue_init (&self->order);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (sm_login_limiter_parent_class)->finalize (object);
}

static void
sm_login_limiter_class_init (SmLoginLimiterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sm_login_limiter_finalize;
}

static void
sm_login_limiter_init (SmLoginLimiter *self)
{
  g_mutex_init (&self->mutex);
  g_queue_init (&self->order);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, entry_free);
}

/* ---------------------------------------------------------------- public API */

/**
 * sm_login_limiter_new:
 * @max_failures: failures that lock a login, 1 to %SM_LOGIN_LIMITER_MAX_FAILURES
 * @window_us: the span within which they must fall, in microseconds
 * @lockout_us: how long the lock lasts from the failure that set it
 *
 * The server uses 5 failures, a 60 s window and a 60 s lockout.
 *
 * Returns: (transfer full): a new limiter tracking nothing
 */
SmLoginLimiter *
sm_login_limiter_new (guint  max_failures,
                      gint64 window_us,
                      gint64 lockout_us)
{
  SmLoginLimiter *self;

  g_return_val_if_fail (max_failures >= 1, NULL);
  g_return_val_if_fail (max_failures <= SM_LOGIN_LIMITER_MAX_FAILURES, NULL);
  g_return_val_if_fail (window_us > 0, NULL);
  g_return_val_if_fail (lockout_us > 0, NULL);

  self = g_object_new (SM_TYPE_LOGIN_LIMITER, NULL);
  self->max_failures = max_failures;
  self->window_us = window_us;
  self->lockout_us = lockout_us;

  return self;
}

/**
 * sm_login_limiter_check:
 * @self: a #SmLoginLimiter
 * @login: the login as the client sent it
 * @now_us: the current time
 * @out_retry_after_s: (out) (optional): while locked, the seconds until the lock ends,
 *   rounded up and at least 1 (for a Retry-After header); 0 otherwise
 *
 * Asks whether a password may be tried for @login now. A refused attempt is not a
 * failure: do not record one for it.
 *
 * Returns: %FALSE while @login is locked
 */
gboolean
sm_login_limiter_check (SmLoginLimiter *self,
                        const char     *login,
                        gint64          now_us,
                        gint           *out_retry_after_s)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *key = NULL;
  gint retry_after_s = 0;
  Entry *entry;

  g_return_val_if_fail (SM_IS_LOGIN_LIMITER (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  key = make_key (login);

  locker = g_mutex_locker_new (&self->mutex);
  prune (self, now_us);
  entry = lookup (self, key, now_us);
  if (entry != NULL && entry_is_locked (entry, now_us))
    {
      gint64 left_us = entry->locked_until_us - now_us;
      gint64 left_s = (left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

      retry_after_s = (gint) CLAMP (left_s, 1, G_MAXINT);
    }

  if (out_retry_after_s != NULL)
    *out_retry_after_s = retry_after_s;

  return retry_after_s == 0;
}

/**
 * sm_login_limiter_record_failure:
 * @self: a #SmLoginLimiter
 * @login: the login whose password was wrong (known or not)
 * @now_us: the current time
 *
 * Counts a failed password. The failure that makes max_failures within the window locks
 * @login for lockout_us from @now_us; while it is locked, failures are ignored.
 */
void
sm_login_limiter_record_failure (SmLoginLimiter *self,
                                 const char     *login,
                                 gint64          now_us)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *key = NULL;
  Entry *entry;
  guint expired = 0;

  g_return_if_fail (SM_IS_LOGIN_LIMITER (self));
  g_return_if_fail (login != NULL);

  key = make_key (login);

  locker = g_mutex_locker_new (&self->mutex);
  prune (self, now_us);
  entry = lookup (self, key, now_us);

  if (entry != NULL && entry_is_locked (entry, now_us))
    return;

  if (entry == NULL)
    {
      if (g_hash_table_size (self->entries) >= SM_LOGIN_LIMITER_MAX_ENTRIES)
        remove_entry (self, self->order.head->data);

      entry = g_malloc0 (sizeof (Entry) + self->max_failures * sizeof (gint64));
      entry->key = g_steal_pointer (&key);
      entry->link.data = entry;
      g_hash_table_insert (self->entries, entry->key, entry);
    }
  else
    {
      g_queue_unlink (&self->order, &entry->link);
    }
  g_queue_push_tail_link (&self->order, &entry->link);

  /* Forget failures that have left the window, then count this one. */
  while (expired < entry->n_failures
         && now_us - entry->failures_us[expired] >= self->window_us)
    expired++;
  if (expired > 0)
    {
      entry->n_failures -= expired;
      memmove (entry->failures_us, entry->failures_us + expired,
               entry->n_failures * sizeof (gint64));
    }

  g_assert (entry->n_failures < self->max_failures);
  entry->failures_us[entry->n_failures++] = now_us;
  entry->last_failure_us = now_us;

  if (entry->n_failures >= self->max_failures)
    {
      entry->locked_until_us = now_us + self->lockout_us;
      entry->n_failures = 0;
    }
}

/**
 * sm_login_limiter_record_success:
 * @self: a #SmLoginLimiter
 * @login: the login that signed in
 *
 * Forgets the failures of @login.
 */
void
sm_login_limiter_record_success (SmLoginLimiter *self,
                                 const char     *login)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *key = NULL;
  Entry *entry;

  g_return_if_fail (SM_IS_LOGIN_LIMITER (self));
  g_return_if_fail (login != NULL);

  key = make_key (login);

  locker = g_mutex_locker_new (&self->mutex);
  entry = g_hash_table_lookup (self->entries, key);
  if (entry != NULL)
    remove_entry (self, entry);
}

/**
 * sm_login_limiter_get_size:
 * @self: a #SmLoginLimiter
 *
 * Returns: the number of logins tracked, at most %SM_LOGIN_LIMITER_MAX_ENTRIES
 */
guint
sm_login_limiter_get_size (SmLoginLimiter *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (SM_IS_LOGIN_LIMITER (self), 0);

  locker = g_mutex_locker_new (&self->mutex);

  return g_hash_table_size (self->entries);
}
