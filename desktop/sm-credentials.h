/* sm-credentials.h — the sync token in the user's keyring (Secret Service)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Each call fails with the keyring's own error when no Secret Service can be reached (a
 * headless machine, no session bus) or the keyring stays locked. The token is never
 * written anywhere else. */

void      sm_credentials_store_async   (const char           *server_url,
                                        const char           *login,
                                        const char           *token,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean  sm_credentials_store_finish  (GAsyncResult         *result,
                                        GError              **error);

/* Finishes with the token, NULL without an error when the keyring holds none. */
void      sm_credentials_lookup_async  (const char           *server_url,
                                        const char           *login,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
char     *sm_credentials_lookup_finish (GAsyncResult         *result,
                                        GError              **error);

/* Forgets the token of @login on @server_url (nothing to forget is a success). */
void      sm_credentials_clear_async   (const char           *server_url,
                                        const char           *login,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean  sm_credentials_clear_finish  (GAsyncResult         *result,
                                        GError              **error);

/* The same, blocking: for tests that check what the keyring holds. */
char     *sm_credentials_lookup_sync   (const char           *server_url,
                                        const char           *login,
                                        GError              **error);

G_END_DECLS
