/* sm-today-section.h — one section of the Today page: a heading with a count, a list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-today-row.h"

G_BEGIN_DECLS

#define SM_TYPE_TODAY_SECTION (sm_today_section_get_type ())
G_DECLARE_FINAL_TYPE (SmTodaySection, sm_today_section, SM, TODAY_SECTION, GtkWidget)

GtkWidget  *sm_today_section_new             (void);
const char *sm_today_section_get_title       (SmTodaySection *self);
void        sm_today_section_set_title       (SmTodaySection *self,
                                              const char     *title);
const char *sm_today_section_get_description (SmTodaySection *self);
void        sm_today_section_set_description (SmTodaySection *self,
                                              const char     *description);
const char *sm_today_section_get_empty_text  (SmTodaySection *self);
void        sm_today_section_set_empty_text  (SmTodaySection *self,
                                              const char     *empty_text);
/* @items (of SmTodayItem) become rows; the section keeps a reference. */
void        sm_today_section_bind_model      (SmTodaySection *self,
                                              GListModel     *items);
/* How many there are in all; more than the items shown offers "Show More". */
guint       sm_today_section_get_total       (SmTodaySection *self);
void        sm_today_section_set_total       (SmTodaySection *self,
                                              guint           total);
/* The time the rows' badges are told against, and the demands' response target. */
void        sm_today_section_set_now         (SmTodaySection *self,
                                              GDateTime      *now,
                                              guint           target_minutes);
/* The row showing item @index, or NULL. */
SmTodayRow *sm_today_section_get_row         (SmTodaySection *self,
                                              guint           index);
/* The count shown beside the heading, as text. */
const char *sm_today_section_get_count_text  (SmTodaySection *self);

G_END_DECLS
