/* main.c — the sanmen desktop client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <locale.h>

#include "sm-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SmApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* SANMEN_LOCALEDIR runs the client from a build tree in its translations
   * (./quickstart demo points it at _build/po). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SANMEN_LOCALEDIR") ? g_getenv ("SANMEN_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = sm_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
