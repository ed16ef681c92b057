/* sm-lists-page.h — 清单: the resource, demand and claim lists (三项清单)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sm-resource-dialog.h"
#include "sm-store.h"

G_BEGIN_DECLS

#define SM_TYPE_LISTS_PAGE (sm_lists_page_get_type ())
G_DECLARE_FINAL_TYPE (SmListsPage, sm_lists_page, SM, LISTS_PAGE, GtkWidget)

GtkWidget        *sm_lists_page_new              (SmStore     *store);
/* Reads the store again (the page also follows the store's "changed" by itself). */
void              sm_lists_page_reload           (SmListsPage *self);
/* The view shown: "resources", "demands" or "claims". */
const char       *sm_lists_page_get_view         (SmListsPage *self);
void              sm_lists_page_set_view         (SmListsPage *self,
                                                  const char  *view);

/* Whether adding and editing resources is offered (office and admin; see sm-window). */
gboolean          sm_lists_page_get_can_manage   (SmListsPage *self);
void              sm_lists_page_set_can_manage   (SmListsPage *self,
                                                  gboolean     can_manage);

/* 资源清单: the resources shown (of SmRecord), after the category and the search text. */
GListModel       *sm_lists_page_get_resources    (SmListsPage *self);
/* The category filter: NULL shows every category. */
void              sm_lists_page_set_category     (SmListsPage *self,
                                                  const char  *category);
const char       *sm_lists_page_get_category     (SmListsPage *self);
GtkEditable      *sm_lists_page_get_search_entry (SmListsPage *self);
GtkWidget        *sm_lists_page_get_add_button   (SmListsPage *self);
/* Opens the dialog adding a resource, or editing the one shown at @position, as the
 * button and the rows do; NULL when managing resources is not offered. */
SmResourceDialog *sm_lists_page_add_resource     (SmListsPage *self);
SmResourceDialog *sm_lists_page_edit_resource    (SmListsPage *self,
                                                  guint        position);

/* 需求清单: the open demands shown (of SmRecord), and each one's claims. */
GListModel       *sm_lists_page_get_demands      (SmListsPage *self);
guint             sm_lists_page_get_claim_count  (SmListsPage *self,
                                                  guint        position);
/* Emits "demand-activated" for the demand at @position, as activating its row does. */
void              sm_lists_page_activate_demand  (SmListsPage *self,
                                                  guint        position);

/* 认领清单: the open claims shown (of SmRecord); activating one opens its demand. */
GListModel       *sm_lists_page_get_claims       (SmListsPage *self);
void              sm_lists_page_activate_claim   (SmListsPage *self,
                                                  guint        position);

G_END_DECLS
