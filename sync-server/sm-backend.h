/* sm-backend.h — where the server keeps its data
 *
 * One interface for the storage of the server: the replica with its merge, the sequence
 * numbers that pulls page through, users and tokens, and the audit trail. SQLite
 * (SmBackendSqlite) is the embedded default; a PostgreSQL backend implements the same
 * interface without touching the HTTP handlers.
 *
 * Every method is safe to call from any thread: an implementation serializes its own
 * storage access. Methods that write do so in one transaction each.
 */
#pragma once

#include <gio/gio.h>

#include "sanmen-core.h"

G_BEGIN_DECLS

typedef enum {
  SM_ROLE_WORKER,
  SM_ROLE_OFFICE,
  SM_ROLE_ADMIN,
} SmRole;

const char *sm_role_to_string   (SmRole      role);
gboolean    sm_role_from_string (const char *text,
                                 SmRole     *out_role);

typedef struct {
  char      *id;
  char      *login;
  char      *name;
  SmRole     role;
  char     **grids;     /* NULL-terminated; every grid for office and admin is implied */
  gboolean   disabled;
} SmUser;

#define SM_TYPE_USER (sm_user_get_type ())
GType     sm_user_get_type  (void) G_GNUC_CONST;
SmUser   *sm_user_copy      (const SmUser *user);
void      sm_user_free      (SmUser       *user);
/* Whether the user may read and write records of @grid_id. */
gboolean  sm_user_has_grid  (const SmUser *user,
                             const char   *grid_id);

/* Who made a write, for the audit trail. */
typedef struct {
  const char *user_id;   /* the authenticated user, or "cli" for the command line */
  const char *remote;    /* the peer's address, or "local" */
} SmActor;

typedef struct {
  guint applied;    /* writes that became current values */
  guint conflicts;  /* conflict records created */
} SmPushSummary;

#define SM_TYPE_BACKEND (sm_backend_get_type ())
G_DECLARE_INTERFACE (SmBackend, sm_backend, SM, BACKEND, GObject)

struct _SmBackendInterface
{
  GTypeInterface parent_iface;

  gboolean    (*push)              (SmBackend      *self,
                                    GPtrArray      *changes,
                                    const SmActor  *actor,
                                    SmPushSummary  *summary,
                                    GError        **error);
  gboolean    (*pull)              (SmBackend      *self,
                                    const SmUser   *user,
                                    gint64          cursor,
                                    guint           limit,
                                    const char     *exclude_site,
                                    GString        *out,
                                    guint          *out_n,
                                    gint64         *out_cursor,
                                    gboolean       *out_more,
                                    GError        **error);
  char       *(*get_record_grid)   (SmBackend      *self,
                                    const SmTable  *table,
                                    const char     *row_id,
                                    GError        **error);
  const char *(*get_site)          (SmBackend      *self);
  SmHlc       (*get_last_hlc)      (SmBackend      *self);

  gboolean    (*add_user)          (SmBackend      *self,
                                    const SmUser   *user,
                                    const char     *password_hash,
                                    GError        **error);
  SmUser     *(*lookup_user)       (SmBackend      *self,
                                    const char     *login,
                                    char          **out_password_hash,
                                    GError        **error);
  GPtrArray  *(*list_users)        (SmBackend      *self,
                                    GError        **error);
  gboolean    (*update_user)       (SmBackend      *self,
                                    const char     *login,
                                    const gboolean *disabled,
                                    const char     *password_hash,
                                    GError        **error);

  gboolean    (*add_token)         (SmBackend      *self,
                                    const char     *token_hash,
                                    const char     *user_id,
                                    const char     *site,
                                    GError        **error);
  SmUser     *(*lookup_token)      (SmBackend      *self,
                                    const char     *token_hash,
                                    GError        **error);
  gboolean    (*revoke_token)      (SmBackend      *self,
                                    const char     *token_hash,
                                    GError        **error);

  char       *(*compute_digest)    (SmBackend      *self,
                                    GError        **error);
  gboolean    (*check)             (SmBackend      *self,
                                    GError        **error);
  gboolean    (*backup)            (SmBackend      *self,
                                    const char     *path,
                                    GError        **error);
};

/* Merges @changes (already checked for scope and clock) with the rule of sm-merge, gives
 * every write that wins a new sequence number, records each in the change log under
 * @actor, and creates a conflict record for each concurrent pair. One transaction. */
gboolean    sm_backend_push            (SmBackend      *self,
                                        GPtrArray      *changes,
                                        const SmActor  *actor,
                                        SmPushSummary  *summary,
                                        GError        **error);
/* The current winning writes whose sequence is past @cursor in @user's scope, oldest
 * first, at most @limit; fields last written by @exclude_site (nullable) are left out.
 * They are appended to @out as the JSON array of PROTOCOL.md's changes, and counted in
 * *@out_n: written straight from storage, a page of thousands of changes never becomes
 * thousands of objects (as sm_change_append_json() would write them). Nothing is
 * appended on an error. */
gboolean    sm_backend_pull            (SmBackend      *self,
                                        const SmUser   *user,
                                        gint64          cursor,
                                        guint           limit,
                                        const char     *exclude_site,
                                        GString        *out,
                                        guint          *out_n,
                                        gint64         *out_cursor,
                                        gboolean       *out_more,
                                        GError        **error);
/* The grid a record belongs to now, or NULL without an error when there is no such
 * record: a worker may not move another grid's record into theirs. */
char       *sm_backend_get_record_grid (SmBackend      *self,
                                        const SmTable  *table,
                                        const char     *row_id,
                                        GError        **error);
const char *sm_backend_get_site        (SmBackend      *self);
SmHlc       sm_backend_get_last_hlc    (SmBackend      *self);

/* Writes a record as the server itself (grids from the command line, demo data): the
 * values become changes stamped with the server's site and clock and go through push().
 * @values maps field names to GVariants; @row_id NULL makes a new id. */
gboolean    sm_backend_write           (SmBackend      *self,
                                        const char     *table,
                                        const char     *row_id,
                                        const char     *grid_id,
                                        GHashTable     *values,
                                        const SmActor  *actor,
                                        GError        **error);

gboolean    sm_backend_add_user        (SmBackend      *self,
                                        const SmUser   *user,
                                        const char     *password_hash,
                                        GError        **error);
/* NULL without an error when there is no such login. */
SmUser     *sm_backend_lookup_user     (SmBackend      *self,
                                        const char     *login,
                                        char          **out_password_hash,
                                        GError        **error);
GPtrArray  *sm_backend_list_users      (SmBackend      *self,
                                        GError        **error);
/* Changes what is not NULL; disabling a user also revokes their tokens. */
gboolean    sm_backend_update_user     (SmBackend      *self,
                                        const char     *login,
                                        const gboolean *disabled,
                                        const char     *password_hash,
                                        GError        **error);

gboolean    sm_backend_add_token       (SmBackend      *self,
                                        const char     *token_hash,
                                        const char     *user_id,
                                        const char     *site,
                                        GError        **error);
/* The user of a live token of an enabled user; NULL without an error otherwise. */
SmUser     *sm_backend_lookup_token    (SmBackend      *self,
                                        const char     *token_hash,
                                        GError        **error);
gboolean    sm_backend_revoke_token    (SmBackend      *self,
                                        const char     *token_hash,
                                        GError        **error);

char       *sm_backend_compute_digest  (SmBackend      *self,
                                        GError        **error);
gboolean    sm_backend_check           (SmBackend      *self,
                                        GError        **error);
gboolean    sm_backend_backup          (SmBackend      *self,
                                        const char     *path,
                                        GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmUser, sm_user_free)

G_END_DECLS
