/* sm-sign-in-dialog.h — sign in to the community office's server, or work offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sm-store.h"
#include "sm-sync.h"

G_BEGIN_DECLS

#define SM_TYPE_SIGN_IN_DIALOG (sm_sign_in_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SmSignInDialog, sm_sign_in_dialog, SM, SIGN_IN_DIALOG, AdwWindow)

/* @first_run adds "Work Offline"; @server_url and @login prefill the form (may be NULL). */
SmSignInDialog *sm_sign_in_dialog_new               (SmStore        *store,
                                                     gboolean        first_run,
                                                     const char     *server_url,
                                                     const char     *login);
GtkEditable    *sm_sign_in_dialog_get_server_entry  (SmSignInDialog *self);
GtkEditable    *sm_sign_in_dialog_get_login_entry   (SmSignInDialog *self);
GtkEditable    *sm_sign_in_dialog_get_password_entry (SmSignInDialog *self);
/* What the Sign In button and Enter do: checks the form, then signs in asynchronously;
 * "signed-in" follows on success, an error shown in the dialog otherwise. */
void            sm_sign_in_dialog_sign_in           (SmSignInDialog *self);
gboolean        sm_sign_in_dialog_get_busy          (SmSignInDialog *self);
/* The problem shown, NULL when none. */
const char     *sm_sign_in_dialog_get_error_message (SmSignInDialog *self);
/* TRUE while the dialog says the sign-in will not be remembered (no keyring). */
gboolean        sm_sign_in_dialog_get_notice_shown  (SmSignInDialog *self);
/* The role the server gave the user who signed in ("worker", "office", "admin"), NULL
 * before a sign-in succeeded. */
const char     *sm_sign_in_dialog_get_role          (SmSignInDialog *self);

G_END_DECLS
