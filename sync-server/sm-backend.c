/* sm-backend.c — the storage interface of the server, and what every backend shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-server"

#include "sm-backend.h"

#include <glib/gi18n-lib.h>

#include "sm-server-error.h"

G_DEFINE_INTERFACE (SmBackend, sm_backend, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (SmUser, sm_user, sm_user_copy, sm_user_free)

static const char * const role_names[] = { "worker", "office", "admin" };

static void
sm_backend_default_init (SmBackendInterface *iface)
{
}

const char *
sm_role_to_string (SmRole role)
{
  g_return_val_if_fail (role <= SM_ROLE_ADMIN, "worker");

  return role_names[role];
}

gboolean
sm_role_from_string (const char *text,
                     SmRole     *out_role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (g_strcmp0 (text, role_names[i]) == 0)
      {
        *out_role = (SmRole) i;
        return TRUE;
      }

  return FALSE;
}

SmUser *
sm_user_copy (const SmUser *user)
{
  SmUser *copy;

  g_return_val_if_fail (user != NULL, NULL);

  copy = g_new0 (SmUser, 1);
  copy->id = g_strdup (user->id);
  copy->login = g_strdup (user->login);
  copy->name = g_strdup (user->name);
  copy->role = user->role;
  copy->grids = g_strdupv (user->grids);
  copy->disabled = user->disabled;

  return copy;
}

void
sm_user_free (SmUser *user)
{
  if (user == NULL)
    return;

  g_free (user->id);
  g_free (user->login);
  g_free (user->name);
  g_strfreev (user->grids);
  g_free (user);
}

gboolean
sm_user_has_grid (const SmUser *user,
                  const char   *grid_id)
{
  g_return_val_if_fail (user != NULL, FALSE);

  if (user->role != SM_ROLE_WORKER)
    return TRUE;

  return grid_id != NULL && user->grids != NULL &&
         g_strv_contains ((const char * const *) user->grids, grid_id);
}

gboolean
sm_backend_push (SmBackend      *self,
                 GPtrArray      *changes,
                 const SmActor  *actor,
                 SmPushSummary  *summary,
                 GError        **error)
{
  SmPushSummary scratch = { 0, };

  g_return_val_if_fail (SM_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  return SM_BACKEND_GET_IFACE (self)->push (self, changes, actor, summary ? summary : &scratch, error);
}

gboolean
sm_backend_pull (SmBackend     *self,
                 const SmUser  *user,
                 gint64         cursor,
                 guint          limit,
                 const char    *exclude_site,
                 GString       *out,
                 guint         *out_n,
                 gint64        *out_cursor,
                 gboolean      *out_more,
                 GError       **error)
{
  g_return_val_if_fail (SM_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (out != NULL && out_n != NULL, FALSE);
  g_return_val_if_fail (out_cursor != NULL && out_more != NULL, FALSE);

  return SM_BACKEND_GET_IFACE (self)->pull (self, user, cursor, limit, exclude_site, out, out_n,
                                            out_cursor, out_more, error);
}

char *
sm_backend_get_record_grid (SmBackend      *self,
                            const SmTable  *table,
                            const char     *row_id,
                            GError        **error)
{
  g_return_val_if_fail (SM_IS_BACKEND (self), NULL);
  g_return_val_if_fail (table != NULL && row_id != NULL, NULL);

  return SM_BACKEND_GET_IFACE (self)->get_record_grid (self, table, row_id, error);
}

const char *
sm_backend_get_site (SmBackend *self)
{
  g_return_val_if_fail (SM_IS_BACKEND (self), NULL);

  return SM_BACKEND_GET_IFACE (self)->get_site (self);
}

SmHlc
sm_backend_get_last_hlc (SmBackend *self)
{
  g_return_val_if_fail (SM_IS_BACKEND (self), SM_HLC_ZERO);

  return SM_BACKEND_GET_IFACE (self)->get_last_hlc (self);
}

gboolean
sm_backend_write (SmBackend      *self,
                  const char     *table_name,
                  const char     *row_id,
                  const char     *grid_id,
                  GHashTable     *values,
                  const SmActor  *actor,
                  GError        **error)
{
  const SmTable *table;
  g_autoptr(GPtrArray) changes = sm_change_batch_new ();
  g_autofree char *new_id = NULL;
  GHashTableIter iter;
  gpointer key, value;
  SmHlc last, hlc;

  g_return_val_if_fail (SM_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (table_name != NULL && grid_id != NULL && values != NULL, FALSE);

  if (!(table = sm_schema_lookup_table (table_name)))
    {
      g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_INVALID_ARGUMENT,
                   _("There is no table “%s”"), table_name);
      return FALSE;
    }

  if (!sm_id_is_valid (grid_id) || (row_id != NULL && !sm_id_is_valid (row_id)))
    {
      g_set_error_literal (error, SM_SERVER_ERROR, SM_SERVER_ERROR_INVALID_ARGUMENT,
                           _("An id may only hold letters, digits, “-” and “_”, at most 64 of them"));
      return FALSE;
    }

  if (row_id == NULL)
    {
      new_id = sm_id_new ();
      row_id = new_id;
      /* A new record needs its required fields. */
      for (guint f = 0; f < table->n_fields; f++)
        if ((table->fields[f].flags & SM_FIELD_FLAG_REQUIRED) &&
            g_hash_table_lookup (values, table->fields[f].name) == NULL)
          {
            g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_INVALID_ARGUMENT,
                         _("%s: a value is required"), sm_field_get_label (&table->fields[f]));
            return FALSE;
          }
    }

  /* The server has merged every write it holds, so the newest of them is the base of its
   * own: a write made now has seen them all and conflicts with none. */
  last = sm_backend_get_last_hlc (self);
  hlc = sm_hlc_tick (last, sm_hlc_now_ms ());

  g_ptr_array_add (changes, sm_change_new (&table->fields[SM_FIELD_INDEX_GRID_ID], row_id, grid_id,
                                           g_variant_new_string (grid_id), hlc,
                                           sm_backend_get_site (self), last));

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const SmField *field = sm_table_lookup_field (table, key);
      g_autoptr(GVariant) canonical = NULL;

      if (field == NULL || (field->flags & (SM_FIELD_FLAG_DERIVED | SM_FIELD_FLAG_SYSTEM)))
        {
          g_set_error (error, SM_SERVER_ERROR, SM_SERVER_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a field that can be written in “%s”"),
                       (const char *) key, table_name);
          return FALSE;
        }

      if (!sm_field_validate_local (field, value, NULL, &canonical, error))
        return FALSE;

      g_ptr_array_add (changes, sm_change_new (field, row_id, grid_id, canonical, hlc,
                                               sm_backend_get_site (self), last));
    }

  return sm_backend_push (self, changes, actor, NULL, error);
}

gboolean
sm_backend_add_user (SmBackend     *self,
                     const SmUser  *user,
                     const char    *password_hash,
                     GError       **error)
{
  g_return_val_if_fail (SM_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (user != NULL && user->login != NULL && password_hash != NULL, FALSE);

  return SM_BACKEND_GET_IFACE (self)->add_user (self, user, password_hash, error);
}

SmUser *
sm_backend_lookup_user (SmBackend  *self,
                        const char *login,
                        char      **out_password_hash,
                        GError    **error)
{
  g_return_val_if_fail (SM_IS_BACKEND (self), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  return SM_BACKEND_GET_IFACE (self)->lookup_user (self, login, out_password_hash, error);
}

GPtrArray *
sm_backend_list_users (SmBackend  *self,
                       GError    **error)
{
  g_return_val_if_fail (SM_IS_BACKEND (self), NULL);

  return SM_BACKEND_GET_IFACE (self)->list_users (self, error);
}

gboolean
sm_backend_update_user (SmBackend       *self,
                        const char      *login,
                        const gboolean  *disabled,
                        const char      *password_hash,
                        GError         **error)
{
  g_return_val_if_fail (SM_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  return SM_BACKEND_GET_IFACE (self)->update_user (self, login, disabled, password_hash, error);
}

gboolean
sm_backend_add_token (SmBackend   *self,
                      const char  *token_hash,
                      const char  *user_id,
                      const char  *site,
                      GError     **error)
{
  g_return_val_if_fail (SM_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (token_hash != NULL && user_id != NULL, FALSE);

  return SM_BACKEND_GET_IFACE (self)->add_token (self, token_hash, user_id, site, error);
}

SmUser *
sm_backend_lookup_token (SmBackend   *self,
                         const char  *token_hash,
                         GError     **error)
{
  g_return_val_if_fail (SM_IS_BACKEND (self), NULL);
  g_return_val_if_fail (token_hash != NULL, NULL);

  return SM_BACKEND_GET_IFACE (self)->lookup_token (self, token_hash, error);
}

gboolean
sm_backend_revoke_token (SmBackend   *self,
                         const char  *token_hash,
                         GError     **error)
{
  g_return_val_if_fail (SM_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);

  return SM_BACKEND_GET_IFACE (self)->revoke_token (self, token_hash, error);
}

char *
sm_backend_compute_digest (SmBackend  *self,
                           GError    **error)
{
  g_return_val_if_fail (SM_IS_BACKEND (self), NULL);

  return SM_BACKEND_GET_IFACE (self)->compute_digest (self, error);
}

gboolean
sm_backend_check (SmBackend  *self,
                  GError    **error)
{
  g_return_val_if_fail (SM_IS_BACKEND (self), FALSE);

  return SM_BACKEND_GET_IFACE (self)->check (self, error);
}

gboolean
sm_backend_backup (SmBackend   *self,
                   const char  *path,
                   GError     **error)
{
  g_return_val_if_fail (SM_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return SM_BACKEND_GET_IFACE (self)->backup (self, path, error);
}
