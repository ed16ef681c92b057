/* sm-sync-status.c — the sync state in a header bar, with Sync Now
 *
 * A flat menu button shows the state of the application's SmSync in a word or two with
 * an icon — offline, syncing, up to date, N waiting (records with unsent changes), not
 * sent — and under it when the
 * last sync was; its popover says why and what to do (the sync engine's error messages
 * are written for that), how many changes wait on this computer, and has Sign In and
 * Sync Now. A round Sync Now button (app.sync-now, Ctrl+R) sits beside it.
 *
 * Everything is read from the SmSync's properties on their notifications, so any number
 * of these widgets (one per header bar) agree. A timer keeps "5 minutes ago" true while
 * the widget is mapped. The state's word never ellipsizes and is short, so it stays
 * readable in a header bar at 360 px; the line under it may, and the popover and the
 * tooltip carry the whole text.
 *
 * To put one in a header bar of sm-window.ui ("compact" while the sidebar is folded, that
 * is below about 600 px):
 *
 *   <child type="end">
 *     <object class="SmSyncStatus">
 *       <property name="sync" bind-source="SmWindow" bind-property="sync" bind-flags="sync-create"/>
 *       <property name="compact" bind-source="leaflet" bind-property="folded" bind-flags="sync-create"/>
 *     </object>
 *   </child>
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-sync-status.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

/* How often the "N minutes ago" text is brought up to date. */
#define REFRESH_SECONDS 20

struct _SmSyncStatus
{
  GtkWidget       parent_instance;

  SmSync         *sync;
  gboolean        compact;
  guint           refresh_id;
  char           *state_text;
  char           *caption_text;
  char           *last_text;
  char           *detail_text;

  GtkMenuButton  *status_button;
  GtkStack       *icon_stack;
  GtkImage       *state_icon;
  GtkSpinner     *spinner;
  GtkLabel       *state_label;
  GtkLabel       *time_label;
  GtkButton      *sync_button;
  GtkPopover     *popover;
  GtkLabel       *headline_label;
  GtkLabel       *detail_label;
  GtkLabel       *pending_label;
  GtkLabel       *last_sync_label;
  GtkButton      *popover_sign_in_button;
  GtkButton      *popover_sync_button;
};

G_DEFINE_FINAL_TYPE (SmSyncStatus, sm_sync_status, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SYNC,
  PROP_COMPACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_text (char       **field,
          const char  *text)
{
  g_free (*field);
  *field = g_strdup (text);
}

/* The records with changes waiting (see sm_store_outbox_count_records()). */
static guint
count_waiting_records (SmSync *sync)
{
  g_autoptr(GError) error = NULL;
  gint64 count;

  if (sm_sync_get_pending (sync) == 0)
    return 0;

  if ((count = sm_store_outbox_count_records (sm_sync_get_store (sync), &error)) < 0)
    {
      g_warning ("Cannot count the records waiting to be sent: %s", error->message);
      return sm_sync_get_pending (sync);
    }

  return (guint) MIN (count, G_MAXUINT);
}

static char *
waiting_text (guint waiting)
{
  /* Translators: in the header bar: records with changes waiting to be sent; short */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u waiting", "%u waiting", waiting),
                          waiting);
}

static char *
dup_pending_text (guint waiting)
{
  if (waiting == 0)
    return g_strdup (_("Everything recorded on this computer has been sent."));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u record changed on this computer waits to be sent.",
                                       "%u records changed on this computer wait to be sent.",
                                       waiting),
                          waiting);
}

static void
update (SmSyncStatus *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *state = NULL;
  g_autofree char *pending_text = NULL;
  g_autofree char *tooltip = NULL;
  const char *icon = "network-offline-symbolic";
  const char *headline;
  const char *detail;
  const GError *error = NULL;
  gboolean spinning = FALSE;
  gboolean needs_sign_in = FALSE;
  gboolean problem = FALSE;
  guint pending = 0;
  guint rejected = 0;

  g_assert (SM_IS_SYNC_STATUS (self));

  if (self->sync == NULL)
    {
      state = g_strdup (_("Offline"));
      headline = _("Working Offline");
      detail = _("Everything you record is kept on this computer. Sign in to the community "
                 "office’s server to share it and to get the work of others.");
      needs_sign_in = TRUE;
      set_text (&self->last_text, NULL);
    }
  else
    {
      SmSyncState sync_state = sm_sync_get_state (self->sync);
      g_autofree char *last = sm_sync_status_format_last_sync (sm_sync_get_last_sync (self->sync), now);

      pending = count_waiting_records (self->sync);
      rejected = sm_sync_get_rejected (self->sync);
      error = sm_sync_get_error (self->sync);
      set_text (&self->last_text, last);

      if (!sm_sync_get_signed_in (self->sync) && sync_state != SM_SYNC_STATE_SYNCING)
        {
          icon = "system-lock-screen-symbolic";
          /* Translators: the sync state in the header bar, as short as possible */
          state = g_strdup (_("Signed out"));
          headline = _("Signed Out");
          detail = _("Your work is kept on this computer. Sign in to send it to the "
                     "community office’s server.");
          needs_sign_in = TRUE;
        }
      else
        switch (sync_state)
          {
          case SM_SYNC_STATE_SYNCING:
            spinning = TRUE;
            /* Translators: the sync state in the header bar, as short as possible */
            state = g_strdup (_("Syncing…"));
            headline = _("Syncing");
            detail = _("Sending your changes and getting those of others.");
            break;

          case SM_SYNC_STATE_IDLE:
            icon = "emblem-ok-symbolic";
            /* Translators: the sync state in the header bar, as short as possible */
            state = g_strdup (_("Up to date"));
            headline = _("Up to Date");
            detail = _("This computer has everything the server has, and the server has "
                       "everything recorded here.");
            break;

          case SM_SYNC_STATE_WAITING:
            icon = "mail-outbox-symbolic";
            /* Translators: the sync state in the header bar: changes waiting to be sent */
            state = waiting_text (pending);
            headline = _("Changes Waiting");
            detail = _("They will be sent in a moment.");
            break;

          case SM_SYNC_STATE_OFFLINE:
            icon = "network-offline-symbolic";
            state = g_strdup (_("Offline"));
            headline = _("Offline");
            detail = _("This computer has no network. Keep working: everything is saved here "
                       "and sent when the network is back.");
            break;

          case SM_SYNC_STATE_ERROR:
          default:
            problem = TRUE;
            if (g_error_matches (error, SM_SYNC_ERROR, SM_SYNC_ERROR_UNREACHABLE))
              {
                icon = "network-offline-symbolic";
                /* Translators: the sync state in the header bar when the server cannot
                 * be reached, as short as possible */
                state = g_strdup (_("No server"));
                headline = _("Server Unreachable");
              }
            else
              {
                icon = "dialog-warning-symbolic";
                /* Translators: the sync state in the header bar, as short as possible */
                state = g_strdup (_("Sync failed"));
                headline = _("Sync Failed");
              }
            needs_sign_in = g_error_matches (error, SM_SYNC_ERROR, SM_SYNC_ERROR_UNAUTHORIZED);
            detail = error != NULL ? error->message : _("The last sync failed. It is tried again soon.");
            break;
          }
    }

  /* Under the state, when the last sync was; or, when nothing can be sent now, how much
   * waits — the count a person worries about. */
  if (self->sync == NULL)
    set_text (&self->caption_text, NULL);
  else if (pending > 0 && (problem || needs_sign_in ||
                           sm_sync_get_state (self->sync) == SM_SYNC_STATE_OFFLINE))
    {
      g_autofree char *waiting = waiting_text (pending);

      set_text (&self->caption_text, waiting);
    }
  else
    set_text (&self->caption_text, self->last_text);

  set_text (&self->state_text, state);
  set_text (&self->detail_text, detail);

  gtk_image_set_from_icon_name (self->state_icon, icon);
  gtk_stack_set_visible_child_name (self->icon_stack, spinning ? "spinner" : "icon");
  gtk_spinner_set_spinning (self->spinner, spinning);
  gtk_label_set_label (self->state_label, state);
  gtk_label_set_label (self->time_label, self->caption_text ? self->caption_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->time_label), self->caption_text != NULL && !self->compact);
  if (problem)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_button), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_button), "warning");

  gtk_label_set_label (self->headline_label, headline);
  gtk_label_set_label (self->detail_label, detail);
  pending_text = self->sync != NULL ? dup_pending_text (pending) : NULL;
  if (pending_text != NULL && rejected > 0)
    {
      g_autofree char *with_rejected =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%s %u change was refused by the server and is kept "
                                      "aside; the community office can tell you why.",
                                      "%s %u changes were refused by the server and are kept "
                                      "aside; the community office can tell you why.",
                                      rejected),
                         pending_text, rejected);

      g_free (pending_text);
      pending_text = g_steal_pointer (&with_rejected);
    }
  gtk_label_set_label (self->pending_label, pending_text ? pending_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->pending_label), pending_text != NULL);
  gtk_label_set_label (self->last_sync_label, self->last_text ? self->last_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->last_sync_label), self->last_text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->popover_sign_in_button), needs_sign_in);
  gtk_widget_set_visible (GTK_WIDGET (self->popover_sync_button), !needs_sign_in);

  /* The whole state for a pointer and for screen readers, whatever the labels cut. */
  /* Translators: the sync state's tooltip: the state, then the line under it */
  tooltip = self->caption_text ? g_strdup_printf (C_("sync status", "%s — %s"), state, self->caption_text)
                               : g_strdup (state);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_button), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, detail,
                                  -1);
}

static void
sync_notify_cb (SmSyncStatus *self,
                GParamSpec   *pspec,
                SmSync       *sync)
{
  /* The window has one in each page's header bar: only the one shown counts the outbox;
   * the others catch up when they are mapped. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    update (self);
}

static gboolean
refresh_cb (gpointer user_data)
{
  update (SM_SYNC_STATUS (user_data));

  return G_SOURCE_CONTINUE;
}

static void
sm_sync_status_map (GtkWidget *widget)
{
  SmSyncStatus *self = SM_SYNC_STATUS (widget);

  GTK_WIDGET_CLASS (sm_sync_status_parent_class)->map (widget);

  update (self);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);
}

static void
sm_sync_status_unmap (GtkWidget *widget)
{
  SmSyncStatus *self = SM_SYNC_STATUS (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);

  GTK_WIDGET_CLASS (sm_sync_status_parent_class)->unmap (widget);
}

static void
sm_sync_status_dispose (GObject *object)
{
  SmSyncStatus *self = SM_SYNC_STATUS (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  sm_sync_status_set_sync (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_SYNC_STATUS);

  G_OBJECT_CLASS (sm_sync_status_parent_class)->dispose (object);
}

static void
sm_sync_status_finalize (GObject *object)
{
  SmSyncStatus *self = SM_SYNC_STATUS (object);

  g_free (self->state_text);
  g_free (self->caption_text);
  g_free (self->last_text);
  g_free (self->detail_text);

  G_OBJECT_CLASS (sm_sync_status_parent_class)->finalize (object);
}

static void
sm_sync_status_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SmSyncStatus *self = SM_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_sync_status_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SmSyncStatus *self = SM_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      sm_sync_status_set_sync (self, g_value_get_object (value));
      break;
    case PROP_COMPACT:
      sm_sync_status_set_compact (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_sync_status_class_init (SmSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sm_sync_status_dispose;
  object_class->finalize = sm_sync_status_finalize;
  object_class->get_property = sm_sync_status_get_property;
  object_class->set_property = sm_sync_status_set_property;
  widget_class->map = sm_sync_status_map;
  widget_class->unmap = sm_sync_status_unmap;

  /**
   * SmSyncStatus:sync:
   *
   * The sync engine shown, NULL while the client works offline.
   */
  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, SM_TYPE_SYNC,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmSyncStatus:compact:
   *
   * For narrow windows: only the state's icon and word, without the line under it and
   * without the round Sync Now button (Sync Now stays in the popover and on Ctrl+R).
   */
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sm-sync-status");
  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-sync-status.ui");
  gtk_widget_class_bind_template_child (widget_class, SmSyncStatus, status_button);
  gtk_widget_class_bind_template_child (widget_class, SmSyncStatus, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, SmSyncStatus, state_icon);
  gtk_widget_class_bind_template_child (widget_class, SmSyncStatus, spinner);
  gtk_widget_class_bind_template_child (widget_class, SmSyncStatus, state_label);
  gtk_widget_class_bind_template_child (widget_class, SmSyncStatus, time_label);
  gtk_widget_class_bind_template_child (widget_class, SmSyncStatus, sync_button);
  gtk_widget_class_bind_template_child (widget_class, SmSyncStatus, popover);
  gtk_widget_class_bind_template_child (widget_class, SmSyncStatus, headline_label);
  gtk_widget_class_bind_template_child (widget_class, SmSyncStatus, detail_label);
  gtk_widget_class_bind_template_child (widget_class, SmSyncStatus, pending_label);
  gtk_widget_class_bind_template_child (widget_class, SmSyncStatus, last_sync_label);
  gtk_widget_class_bind_template_child (widget_class, SmSyncStatus, popover_sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, SmSyncStatus, popover_sync_button);
}

static void
sm_sync_status_init (SmSyncStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 6);
  update (self);
}

GtkWidget *
sm_sync_status_new (void)
{
  return g_object_new (SM_TYPE_SYNC_STATUS, NULL);
}

SmSync *
sm_sync_status_get_sync (SmSyncStatus *self)
{
  g_return_val_if_fail (SM_IS_SYNC_STATUS (self), NULL);

  return self->sync;
}

void
sm_sync_status_set_sync (SmSyncStatus *self,
                         SmSync       *sync)
{
  g_return_if_fail (SM_IS_SYNC_STATUS (self));
  g_return_if_fail (sync == NULL || SM_IS_SYNC (sync));

  if (self->sync == sync)
    return;

  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_set_object (&self->sync, sync);
  if (sync != NULL)
    {
      const char *names[] = { "state", "pending", "rejected", "last-sync", "error", "signed-in" };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *signal = g_strconcat ("notify::", names[i], NULL);

          g_signal_connect_object (sync, signal, G_CALLBACK (sync_notify_cb), self,
                                   G_CONNECT_SWAPPED);
        }
    }

  /* Not during dispose: the template children are about to go. */
  if (self->state_label != NULL)
    update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
}

gboolean
sm_sync_status_get_compact (SmSyncStatus *self)
{
  g_return_val_if_fail (SM_IS_SYNC_STATUS (self), FALSE);

  return self->compact;
}

void
sm_sync_status_set_compact (SmSyncStatus *self,
                            gboolean      compact)
{
  g_return_if_fail (SM_IS_SYNC_STATUS (self));

  compact = !!compact;
  if (self->compact == compact)
    return;

  self->compact = compact;
  gtk_widget_set_visible (GTK_WIDGET (self->sync_button), !compact);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

const char *
sm_sync_status_get_state_text (SmSyncStatus *self)
{
  g_return_val_if_fail (SM_IS_SYNC_STATUS (self), NULL);

  return self->state_text;
}

const char *
sm_sync_status_get_caption_text (SmSyncStatus *self)
{
  g_return_val_if_fail (SM_IS_SYNC_STATUS (self), NULL);

  return self->caption_text;
}

const char *
sm_sync_status_get_detail_text (SmSyncStatus *self)
{
  g_return_val_if_fail (SM_IS_SYNC_STATUS (self), NULL);

  return self->detail_text;
}

char *
sm_sync_status_format_last_sync (GDateTime *when,
                                 GDateTime *now)
{
  g_autoptr(GDateTime) local_when = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_autofree char *formatted = NULL;
  GTimeSpan age;

  g_return_val_if_fail (now != NULL, NULL);

  if (when == NULL)
    return g_strdup (_("Not synced yet"));

  age = g_date_time_difference (now, when);
  if (age < 60 * G_TIME_SPAN_SECOND)
    return g_strdup (_("Synced just now"));
  if (age < G_TIME_SPAN_HOUR)
    {
      guint minutes = (guint) (age / G_TIME_SPAN_MINUTE);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synced %u minute ago",
                                           "Synced %u minutes ago", minutes), minutes);
    }

  local_when = g_date_time_to_local (when);
  local_now = g_date_time_to_local (now);
  if (g_date_time_get_year (local_when) == g_date_time_get_year (local_now) &&
      g_date_time_get_day_of_year (local_when) == g_date_time_get_day_of_year (local_now))
    /* Translators: a time of day in strftime() format; zh_CN %H:%M is right */
    formatted = g_date_time_format (local_when, _("%H:%M"));
  else
    /* Translators: a date and time in strftime() format; zh_CN: %m月%d日 %H:%M */
    formatted = g_date_time_format (local_when, _("%b %e, %H:%M"));

  /* Translators: %s is a time of day, or a date and time */
  return g_strdup_printf (_("Synced at %s"), formatted);
}
