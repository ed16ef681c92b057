/* sm-claim-row.c — one claim (认领) of a demand: the resource, who claimed it, its status
 *
 * A claim matches a demand with a partner unit's resource. It has a status of its own
 * (the schema's claim_statuses: claimed → in progress → done, or cancelled), moved from
 * the row's menu through the "claim.set-status" action with the target (claim id,
 * status), which the demand's page installs and writes.
 *
 * A claim closes with its demand. That is derived when read (sm_claim_get_shown_status)
 * rather than written when the demand is resolved, because the demand's own status is
 * derived from its events: a resolve may come from the office through sync, and an
 * unsatisfied evaluation reopens the demand. Written closures would need one more write
 * on whichever replica happened to see the resolve, could race a worker's status change
 * made offline, and would stay closed after a reopen; derived ones are the same on every
 * replica holding the same events, cost no write and follow a reopen by themselves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-claim-row.h"

#include <glib/gi18n.h>

#include "sm-demand-actions.h"

struct _SmClaimRow
{
  AdwActionRow  parent_instance;

  SmRecord     *claim;
  char         *subtitle;      /* as made from the claim and its resource */
  const char   *shown_status;  /* static: the schema's */
  GPtrArray    *next_statuses; /* static strings: the statuses its menu offers */
};

G_DEFINE_FINAL_TYPE (SmClaimRow, sm_claim_row, ADW_TYPE_ACTION_ROW)

static const SmField *
status_field (void)
{
  return sm_table_lookup_field (sm_schema_lookup_table ("claim"), "status");
}

static gboolean
demand_settled (const char *demand_status)
{
  return g_strcmp0 (demand_status, "resolved") == 0 || g_strcmp0 (demand_status, "evaluated") == 0;
}

/* A claim with no status yet is as it was made: the schema's first value. */
static const char *
written_status (SmRecord *claim)
{
  const SmField *field = status_field ();
  const char *status = sm_record_get_string (claim, "status");

  for (guint i = 0; field->enum_values[i] != NULL; i++)
    if (g_strcmp0 (field->enum_values[i], status) == 0)
      return field->enum_values[i];

  return field->enum_values[0];
}

const char *
sm_claim_get_shown_status (SmRecord   *claim,
                           const char *demand_status)
{
  const char *status;

  g_return_val_if_fail (SM_IS_RECORD (claim), NULL);

  status = written_status (claim);
  if (demand_settled (demand_status) &&
      (g_str_equal (status, "claimed") || g_str_equal (status, "in_progress")))
    return "done";

  return status;
}

gboolean
sm_claim_is_open (SmRecord   *claim,
                  const char *demand_status)
{
  const char *status;

  g_return_val_if_fail (SM_IS_RECORD (claim), FALSE);

  status = sm_claim_get_shown_status (claim, demand_status);

  return g_str_equal (status, "claimed") || g_str_equal (status, "in_progress");
}

static void
add_status_item (SmClaimRow *self,
                 GMenu      *menu,
                 const char *status,
                 const char *label)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target (item, "claim.set-status", "(ss)", sm_record_get_id (self->claim), status);
  g_menu_append_item (menu, item);
  g_ptr_array_add (self->next_statuses, (gpointer) status);
}

static void
sm_claim_row_dispose (GObject *object)
{
  SmClaimRow *self = SM_CLAIM_ROW (object);

  g_clear_object (&self->claim);
  g_clear_pointer (&self->next_statuses, g_ptr_array_unref);
  g_clear_pointer (&self->subtitle, g_free);

  G_OBJECT_CLASS (sm_claim_row_parent_class)->dispose (object);
}

static void
sm_claim_row_class_init (SmClaimRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sm_claim_row_dispose;
}

static void
sm_claim_row_init (SmClaimRow *self)
{
  self->next_statuses = g_ptr_array_new ();
  gtk_widget_add_css_class (GTK_WIDGET (self), "claim-row");
}

GtkWidget *
sm_claim_row_new (SmRecord   *claim,
                  SmRecord   *resource,
                  const char *demand_status)
{
  const SmField *field = status_field ();
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *when = NULL;
  g_autofree char *title = NULL;
  const char *by;
  SmClaimRow *self;
  GtkWidget *badge;

  g_return_val_if_fail (SM_IS_RECORD (claim), NULL);
  g_return_val_if_fail (resource == NULL || SM_IS_RECORD (resource), NULL);

  self = g_object_new (SM_TYPE_CLAIM_ROW, NULL);
  self->claim = g_object_ref (claim);
  self->shown_status = sm_claim_get_shown_status (claim, demand_status);

  if (resource != NULL)
    /* Translators: a resource in a list: “provider · service”, e.g. “红星物业 · 上门维修” */
    title = g_strdup_printf (_("%s · %s"), sm_record_get_string (resource, "provider"),
                             sm_record_get_string (resource, "name"));
  else
    /* Translators: a claim whose resource this device does not hold (yet) */
    title = g_strdup (_("Unknown resource"));

  when = sm_demand_format_time (sm_record_get_string (claim, "claimed_at"));
  by = sm_record_get_string (claim, "claimed_by");
  if (by != NULL && when != NULL)
    /* Translators: when and by whom a resource was claimed: “2026-09-21 09:30 · worker-01” */
    g_string_append_printf (subtitle, _("%s · %s"), when, by);
  else if (when != NULL)
    g_string_append (subtitle, when);
  if (resource != NULL && sm_record_get_string (resource, "contact") != NULL)
    {
      if (subtitle->len > 0)
        g_string_append_c (subtitle, '\n');
      g_string_append (subtitle, sm_record_get_string (resource, "contact"));
    }
  if (!g_str_equal (self->shown_status, written_status (claim)))
    {
      if (subtitle->len > 0)
        g_string_append_c (subtitle, '\n');
      /* Translators: a claim shown as done because its demand was resolved (办结) */
      g_string_append (subtitle, _("Closed with the demand"));
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  self->subtitle = g_strdup (subtitle->str);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 0);

  badge = gtk_label_new (sm_field_get_enum_label (field, self->shown_status));
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (badge, "badge");
  gtk_widget_add_css_class (badge, "claim-status-badge");
  gtk_widget_set_tooltip_text (badge, sm_field_get_label (field));
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), badge);

  /* The next steps of an open claim, in a menu so the row fits a phone; a done or
   * cancelled claim is a record. */
  if (g_str_equal (self->shown_status, "claimed") || g_str_equal (self->shown_status, "in_progress"))
    {
      g_autoptr(GMenu) menu = g_menu_new ();
      GtkWidget *button = gtk_menu_button_new ();

      if (g_str_equal (self->shown_status, "claimed"))
        /* Translators: moves a claim (认领) to “in progress” */
        add_status_item (self, menu, "in_progress", _("_Start"));
      /* Translators: marks a claim (认领) done */
      add_status_item (self, menu, "done", _("Mark _Done"));
      /* Translators: cancels a claim (认领): the partner unit will not take it on */
      add_status_item (self, menu, "cancelled", _("_Cancel Claim"));

      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      /* Translators: the menu of a claim's next steps */
      gtk_widget_set_tooltip_text (button, _("Change Claim Status"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (self), button);
    }

  return GTK_WIDGET (self);
}

SmRecord *
sm_claim_row_get_claim (SmClaimRow *self)
{
  g_return_val_if_fail (SM_IS_CLAIM_ROW (self), NULL);

  return self->claim;
}

const char *
sm_claim_row_get_shown_status (SmClaimRow *self)
{
  g_return_val_if_fail (SM_IS_CLAIM_ROW (self), NULL);

  return self->shown_status;
}

gboolean
sm_claim_row_offers_status (SmClaimRow *self,
                            const char *status)
{
  g_return_val_if_fail (SM_IS_CLAIM_ROW (self), FALSE);

  for (guint i = 0; i < self->next_statuses->len; i++)
    if (g_strcmp0 (self->next_statuses->pdata[i], status) == 0)
      return TRUE;

  return FALSE;
}

void
sm_claim_row_set_demand_title (SmClaimRow *self,
                               const char *title)
{
  g_autofree char *subtitle = NULL;

  g_return_if_fail (SM_IS_CLAIM_ROW (self));

  /* Translators: the demand a claim is for, first in a row of the claim list (认领清单) */
  subtitle = title ? g_strdup_printf (_("For: %s\n%s"), title, self->subtitle) : g_strdup (self->subtitle);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
}
