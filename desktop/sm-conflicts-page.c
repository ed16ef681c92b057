/* sm-conflicts-page.c — 冲突 Conflicts: the office reconciles concurrent edits
 *
 * The open conflict records of the replica (sm_conflict_list_open), one SmConflictRow
 * each, oldest first. A row's choice is written here with sm_conflict_resolve(): the
 * field and the conflict's status in one local transaction, which the sync engine pushes
 * like any edit, so every worker gets the value chosen. The page reads the store again when
 * it is shown and after each resolution; "n-open" feeds the sidebar's badge.
 *
 * Only office and admin users see this page (SmWindow hides it for workers, whose replicas
 * never hold conflict records anyway).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-conflicts-page.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sm-conflict-row.h"

/* More than the office settles in a day; the rest come as these are settled. */
#define MAX_ROWS 500

struct _SmConflictsPage
{
  GtkWidget      parent_instance;

  SmStore       *store;
  guint          n_open;
  guint          reload_id;
  int            focus_index;  /* the row to focus after a reload, -1 for none */

  GtkStack      *stack;
  AdwStatusPage *error_page;
  GtkLabel      *summary_label;
  GtkListBox    *list;
};

G_DEFINE_FINAL_TYPE (SmConflictsPage, sm_conflicts_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_N_OPEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void row_resolve_cb (SmConflictsPage *self,
                            guint            resolution,
                            GVariant        *value,
                            SmConflictRow   *row);

static void
clear_list (SmConflictsPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
}

void
sm_conflicts_page_reload (SmConflictsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *summary = NULL;
  gint64 n_open;

  g_return_if_fail (SM_IS_CONFLICTS_PAGE (self));

  g_clear_handle_id (&self->reload_id, g_source_remove);
  clear_list (self);

  if ((n_open = sm_conflict_count_open (self->store, &error)) < 0 ||
      !(conflicts = sm_conflict_list_open (self->store, MAX_ROWS, &error)))
    {
      g_autofree char *description = NULL;

      /* Translators: %s says what went wrong with the local database */
      description = g_strdup_printf (_("%s\n\nRestart Sanmen; if this happens again, tell the community office."),
                                     error->message);
      adw_status_page_set_description (self->error_page, description);
      gtk_stack_set_visible_child_name (self->stack, "error");
      n_open = 0;
    }
  else
    {
      /* The rows take the conflicts. */
      for (guint i = 0; i < conflicts->len; i++)
        {
          GtkWidget *row = sm_conflict_row_new (g_ptr_array_index (conflicts, i));

          conflicts->pdata[i] = NULL;
          g_signal_connect_object (row, "resolve", G_CALLBACK (row_resolve_cb), self,
                                   G_CONNECT_SWAPPED);
          gtk_list_box_append (self->list, row);
        }
    }

  /* Translators: above the list of conflicts */
  summary = g_strdup_printf (ngettext ("%u change needs a decision. Whatever you choose is sent to every device.",
                                       "%u changes need a decision. Whatever you choose is sent to every device.",
                                       (gulong) n_open), (guint) n_open);
  gtk_label_set_text (self->summary_label, summary);
  if (error == NULL)
    gtk_stack_set_visible_child_name (self->stack, n_open > 0 ? "list" : "empty");

  if (self->focus_index >= 0)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, self->focus_index);

      if (row == NULL && self->focus_index > 0)
        row = gtk_list_box_get_row_at_index (self->list, self->focus_index - 1);
      if (row != NULL)
        gtk_widget_child_focus (GTK_WIDGET (row), GTK_DIR_TAB_FORWARD);
      self->focus_index = -1;
    }

  if (self->n_open != (guint) n_open)
    {
      self->n_open = (guint) n_open;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OPEN]);
    }
}

static gboolean
reload_cb (gpointer user_data)
{
  SmConflictsPage *self = user_data;

  self->reload_id = 0;
  sm_conflicts_page_reload (self);
  return G_SOURCE_REMOVE;
}

static void
row_resolve_cb (SmConflictsPage *self,
                guint            resolution,
                GVariant        *value,
                SmConflictRow   *row)
{
  g_autoptr(GError) error = NULL;
  const SmConflict *conflict = sm_conflict_row_get_conflict (row);

  if (!sm_conflict_resolve (self->store, conflict->id, (SmConflictResolution) resolution, value, &error))
    {
      sm_conflict_row_set_error (row, error->message);
      return;
    }

  /* Out of the row's own click handler before the row goes; focus then moves to the
   * next conflict, so a keyboard user keeps their place. */
  self->focus_index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
  if (self->reload_id == 0)
    self->reload_id = g_idle_add (reload_cb, self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
page_map_cb (SmConflictsPage *self)
{
  sm_conflicts_page_reload (self);
}

static void
sm_conflicts_page_constructed (GObject *object)
{
  SmConflictsPage *self = SM_CONFLICTS_PAGE (object);

  G_OBJECT_CLASS (sm_conflicts_page_parent_class)->constructed (object);

  g_assert (SM_IS_STORE (self->store));
  sm_conflicts_page_reload (self);
}

static void
sm_conflicts_page_dispose (GObject *object)
{
  SmConflictsPage *self = SM_CONFLICTS_PAGE (object);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SM_TYPE_CONFLICTS_PAGE);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sm_conflicts_page_parent_class)->dispose (object);
}

static void
sm_conflicts_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SmConflictsPage *self = SM_CONFLICTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_N_OPEN:
      g_value_set_uint (value, self->n_open);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_conflicts_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SmConflictsPage *self = SM_CONFLICTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sm_conflicts_page_class_init (SmConflictsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sm_conflicts_page_constructed;
  object_class->dispose = sm_conflicts_page_dispose;
  object_class->get_property = sm_conflicts_page_get_property;
  object_class->set_property = sm_conflicts_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * SmConflictsPage:n-open:
   *
   * How many conflicts are open, as of the last reload.
   */
  properties[PROP_N_OPEN] =
    g_param_spec_uint ("n-open", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmConflictsPage::changed:
   *
   * A conflict was resolved: a record's field was written.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/sanmen/Sanmen/sm-conflicts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SmConflictsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SmConflictsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, SmConflictsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SmConflictsPage, list);
}

static void
sm_conflicts_page_init (SmConflictsPage *self)
{
  self->focus_index = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (page_map_cb), NULL);
}

GtkWidget *
sm_conflicts_page_new (SmStore *store)
{
  g_return_val_if_fail (SM_IS_STORE (store), NULL);

  return g_object_new (SM_TYPE_CONFLICTS_PAGE, "store", store, NULL);
}

guint
sm_conflicts_page_get_n_open (SmConflictsPage *self)
{
  g_return_val_if_fail (SM_IS_CONFLICTS_PAGE (self), 0);

  return self->n_open;
}

GtkListBox *
sm_conflicts_page_get_list (SmConflictsPage *self)
{
  g_return_val_if_fail (SM_IS_CONFLICTS_PAGE (self), NULL);

  return self->list;
}
