/* sm-form.h — what the record dialogs share: fields checked as people type, values
 * written only when they change, the error shown at the top, the end of a save
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-store.h"

G_BEGIN_DECLS

/* The field @name of @table; a programming error if there is none. */
const SmField *sm_form_field              (const char    *table,
                                           const char    *name);

/* Titles a row with the schema's label of the field, so the dialog, the lists and the
 * validation messages all say the same. */
void           sm_form_set_title          (AdwPreferencesRow *row,
                                           const SmField *field);

/* Checks the text of @editable as the store checks a local write of @field (@id_type for
 * ID numbers) and shows the outcome beside it: the "error" style on @editable and the
 * message in @error_label, or neither. TRUE when valid; @out_value (may be NULL) then gets
 * the value to write, NULL for an empty text. Nothing is logged: values may be sensitive. */
gboolean       sm_form_check_text         (GtkEditable   *editable,
                                           GtkLabel      *error_label,
                                           const SmField *field,
                                           const char    *id_type,
                                           GVariant     **out_value);
/* @message without the "Label: " core puts first, for showing right below the field. */
const char    *sm_form_strip_label        (const SmField *field,
                                           const char    *message);
/* Shows @message (NULL: none) beside a field, as sm_form_check_text() does. @error_label
 * may be NULL in both: the field is then only marked. */
void           sm_form_show_error         (GtkWidget     *widget,
                                           GtkLabel      *error_label,
                                           const char    *message);

/* A text field of a dialog: the field's name, its row, and the label below it that says
 * why it is refused (NULL when it has none; several fields may share one). */
typedef struct
{
  const char  *field;
  AdwEntryRow *row;
  GtkLabel    *error;
} SmFormEntry;

/* The row of @field among @entries (@out_error, may be NULL, gets its label), or NULL. */
AdwEntryRow   *sm_form_find_entry         (const SmFormEntry *entries,
                                           gsize          n_entries,
                                           const char    *field,
                                           GtkLabel     **out_error);
/* What the label below @row says about it, NULL when @row is not refused: a label
 * shared by several rows speaks only of the one marked. */
const char    *sm_form_get_entry_error    (AdwEntryRow   *row,
                                           GtkLabel      *error);

/* Shows @message (NULL: none) in @banner, the line at the top of a dialog or page that
 * says why a save failed, and keeps a copy in *@shown for the getters. Nothing typed is
 * touched, so nothing is lost. */
void           sm_form_show_banner        (GtkLabel      *banner,
                                           char         **shown,
                                           const char    *message);

/* Ends a dialog's save: when the store wrote nothing (@id NULL) shows @error at the top
 * as sm_form_show_banner() does, keeps the dialog open with everything typed and returns
 * FALSE; otherwise hides the banner, emits @saved_signal with @id and closes @dialog. */
gboolean       sm_form_finish_save        (GtkWindow     *dialog,
                                           GtkLabel      *banner,
                                           char         **shown,
                                           guint          saved_signal,
                                           const char    *id,
                                           const GError  *error);
/* A construct-only property @name (a static string) of a record dialog holding an object
 * of @type: the "store" it writes to (SM_TYPE_STORE), or a record it edits or writes for
 * (SM_TYPE_RECORD). */
GParamSpec    *sm_form_object_pspec       (const char    *name,
                                           GType          type);
/* Creates the "saved" signal of the record dialog type @dialog_type: emitted with the id
 * of the record written, by sm_form_finish_save() just before the dialog closes. */
guint          sm_form_new_saved_signal   (GType          dialog_type);
/* Installs @action_name (the dialog's save) on @widget_class, run by Ctrl+Return, and
 * binds Escape to close the window, as in every record dialog. */
void           sm_form_install_save_action (GtkWidgetClass *widget_class,
                                            const char     *action_name,
                                            GtkWidgetActionActivateFunc activate);

/* A table of field name → GVariant (or NULL) for sm_store_create()/sm_store_update(). */
GHashTable    *sm_form_values_new         (void);
/* Puts @value (floating is fine; NULL clears) in @values unless @record already holds it:
 * an edit writes only what changed, so it never overwrites a colleague's concurrent edit
 * of another field. With no @record (creating), NULL values are left out. */
void           sm_form_put                (GHashTable    *values,
                                           SmRecord      *record,
                                           const char    *field,
                                           GVariant      *value);
/* Writes @values as a local write: a new record of @table in the grid @grid_id when
 * @record is NULL, else an update of @record. Returns the record's id, NULL on error. */
char          *sm_form_write              (SmStore       *store,
                                           const char    *table,
                                           const char    *grid_id,
                                           SmRecord      *record,
                                           GHashTable    *values,
                                           GError       **error);

/* Sets @editable to the record's text value, or empty. */
void           sm_form_load_text          (GtkEditable   *editable,
                                           SmRecord      *record,
                                           const char    *field);
/* The stripped text of @editable as a value, NULL when empty. */
GVariant      *sm_form_text_value         (GtkEditable   *editable);

/* Appends the labels of an enum field to @list, as a combo row's model in a template. */
void           sm_form_fill_enum          (GtkStringList *list,
                                           const SmField *field);
/* Fills @row with the labels of an enum field, after "Not set" when @optional. */
void           sm_form_setup_enum         (AdwComboRow   *row,
                                           const SmField *field,
                                           gboolean       optional);
/* The value selected (a static string of the schema) or NULL for "Not set". The rows
 * of sm_form_fill_enum() are not @optional. */
const char    *sm_form_get_enum           (AdwComboRow   *row,
                                           const SmField *field,
                                           gboolean       optional);
/* Selects @value; "Not set", or else the first value, when @value is none of the field's. */
void           sm_form_set_enum           (AdwComboRow   *row,
                                           const SmField *field,
                                           gboolean       optional,
                                           const char    *value);

/* Adds to @group a row with a switch for each difficulty tag of @table (the fields
 * flagged SM_FIELD_FLAG_TAG), so a new tag in the schema needs no UI. Returns the
 * switches, which the group owns; each knows its field. */
GPtrArray     *sm_form_add_tags           (AdwPreferencesGroup *group,
                                           const char    *table);
/* The switch of the tag @name among @tags, or NULL. */
GtkSwitch     *sm_form_find_tag           (GPtrArray     *tags,
                                           const char    *name);
/* Sets each switch of @tags as @record has its tag. */
void           sm_form_load_tags          (GPtrArray     *tags,
                                           SmRecord      *record);
/* Puts each tag of @tags in @values with sm_form_put() and sm_form_flag_value(). */
void           sm_form_put_tags           (GHashTable    *values,
                                           SmRecord      *record,
                                           GPtrArray     *tags);
/* The value of a yes/no @field to write: a new record, or one that never had @field,
 * writes only a yes, so an untouched switch adds nothing to the record. */
GVariant      *sm_form_flag_value         (SmRecord      *record,
                                           const char    *field,
                                           gboolean       active);

G_END_DECLS
