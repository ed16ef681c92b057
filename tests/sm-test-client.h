/* sm-test-client.h — a replica signed in to the real sanmen-server, for the sync tests
 *
 * An SmStore file in the server's temporary folder with its own SmSync, signed in as one
 * of the server's users; every helper asserts that what it did succeeded, so a test reads
 * as the steps of the scenario.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sanmen-core.h"
#include "sm-test-server.h"

G_BEGIN_DECLS

typedef struct {
  /* The replica's file, `root/name.db`, and the login it syncs as. */
  char    *path;
  char    *login;
  /* While open (between sm_test_client_open() and sm_test_client_close()). */
  SmStore *store;
  SmSync  *sync;
  /* How many pages and changes SmSync::applied reported. */
  guint    applied_pages;
  guint    applied_changes;
} SmTestClient;

gboolean      sm_test_sync_run        (SmSync        *sync,
                                       GError       **error);
char         *sm_test_sync_login      (SmSync        *sync,
                                       const char    *login,
                                       const char    *password,
                                       GError       **error);

/* A grid, and a user of the server: the password is `password-LOGIN`, as
 * sm_test_client_new() signs in with. */
typedef struct {
  const char *id;
  const char *name;
} SmTestGrid;

typedef struct {
  const char *login;
  const char *name;
  /* "worker", "office" or "admin"; a worker's grid, or NULL. */
  const char *role;
  const char *grid_id;
} SmTestUser;

SmTestServer *sm_test_client_serve    (const char       *name,
                                       const SmTestGrid *grids,
                                       guint             n_grids,
                                       const SmTestUser *users,
                                       guint             n_users);

SmTestClient *sm_test_client_new      (SmTestServer  *server,
                                       const char    *name,
                                       const char    *login);
void          sm_test_client_free     (SmTestClient  *client);
void          sm_test_client_open     (SmTestClient  *client,
                                       const char    *url);
void          sm_test_client_close    (SmTestClient  *client);
void          sm_test_client_sync     (SmTestClient  *client);
char         *sm_test_client_digest   (SmTestClient  *client);
gint64        sm_test_client_count    (SmTestClient  *client,
                                       const char    *table);
GVariant     *sm_test_client_value    (SmTestClient  *client,
                                       const char    *table,
                                       const char    *id,
                                       const char    *field);
char         *sm_test_client_string   (SmTestClient  *client,
                                       const char    *table,
                                       const char    *id,
                                       const char    *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmTestClient, sm_test_client_free)

G_END_DECLS
