/* sanmen-demo.c — writes a demo replica
 *
 *   sanmen-demo PATH [--households N] [--grids N] [--seed S] [--now DATETIME]
 *
 * Creates a new replica at PATH and fills it with the demo community of core/sm-demo,
 * then prints one line saying what it made. The same options give the same community;
 * without --now, "today" is the current time so the history looks recent. PATH must not
 * exist yet: the tool never merges into a replica someone works with. On failure it
 * removes what it began to write.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-demo"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "sanmen-core.h"

#define MAX_HOUSEHOLDS 10000000
#define MAX_GRIDS 100000
/* A grid of the demo holds up to this many households unless --grids says otherwise. */
#define HOUSEHOLDS_PER_GRID 500

static gboolean
parse_number (const char  *option,
              const char  *text,
              guint64      min,
              guint64      max,
              guint64     *out_value,
              GError     **error)
{
  if (!g_ascii_string_to_unsigned (text, 10, min, max, out_value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: an option such as --households, the value given, then
                    * the smallest and the largest value allowed */
                   _("%s: “%s” is not a whole number from %u to %u"), option, text,
                   (guint) min, (guint) max);
      return FALSE;
    }

  return TRUE;
}

/* An ISO 8601 date and time; without a zone it is local time; a date alone means 09:00.
 * Not in the future: the replica's clocks start there, and a peer refuses writes from the
 * future (DESIGN §3, clock safety). Not before 2000, so everyone's birth date is after
 * 1900 as ID numbers require. */
static gboolean
parse_now (const char  *text,
           gint64      *out_unix,
           GError     **error)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) moment = NULL;
  g_autofree char *full = NULL;

  if (strlen (text) == 10)
    full = g_strconcat (text, "T09:00:00", NULL);

  moment = g_date_time_new_from_iso8601 (full ? full : text, local);
  if (moment != NULL &&
      (g_date_time_get_year (moment) < 2000 ||
       g_date_time_to_unix (moment) > g_get_real_time () / G_USEC_PER_SEC))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: %s is the date and time given */
                   _("--now: “%s” must lie between the year 2000 and the present"), text);
      return FALSE;
    }
  if (moment == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: %s is what was given; keep the example as it is */
                   _("--now: “%s” is not a date and time such as 2026-11-01T09:00:00+08:00"),
                   text);
      return FALSE;
    }

  *out_unix = g_date_time_to_unix (moment);
  return TRUE;
}

static void
remove_replica (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

static guint
count (SmStore    *store,
       const char *table)
{
  gint64 n = sm_store_count (store, table, NULL);

  return n > 0 ? (guint) n : 0;
}

/* Parses the command line, writes the replica and prints what it made. */
static gboolean
run (int      *argc,
     char   ***argv,
     GError  **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SmStore) store = NULL;
  g_autofree char *households_text = NULL;
  g_autofree char *grids_text = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *now_text = NULL;
  g_auto(GStrv) paths = NULL;
  const GOptionEntry entries[] = {
    { "households", 'n', 0, G_OPTION_ARG_STRING, &households_text,
      N_("How many households to make (default: 400)"), N_("N") },
    { "grids", 'g', 0, G_OPTION_ARG_STRING, &grids_text,
      N_("How many grids to spread them over (default: one per 500 households, at least 4)"),
      N_("N") },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_text,
      N_("The generator’s seed: the same seed makes the same community (default: 1)"), N_("S") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      N_("“Today” for the history, as ISO 8601 (default: the current time)"), N_("DATETIME") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, NULL },
    { NULL }
  };
  SmDemoOptions options;
  guint64 value;
  gint64 start;
  const char *path;

  sm_demo_options_init (&options);
  options.now_unix = g_get_real_time () / G_USEC_PER_SEC;

  /* Translators: the argument of sanmen-demo, shown after "Usage: sanmen-demo [OPTION…]" */
  context = g_option_context_new (N_("PATH"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                N_("Writes a new Sanmen replica at PATH holding a generated demo "
                                   "community: grids, compounds, buildings, households, "
                                   "residents, visits and demands. All names, numbers and events "
                                   "are made up."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (paths == NULL || paths[0] == NULL || paths[1] != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Give one PATH, the file to write the demo replica to"));
      return FALSE;
    }
  path = paths[0];

  if (households_text != NULL)
    {
      if (!parse_number ("--households", households_text, 1, MAX_HOUSEHOLDS, &value, error))
        return FALSE;
      options.n_households = (guint) value;
    }

  options.n_grids = MAX (4u, (options.n_households + HOUSEHOLDS_PER_GRID - 1) /
                             HOUSEHOLDS_PER_GRID);
  if (grids_text != NULL)
    {
      if (!parse_number ("--grids", grids_text, 1, MAX_GRIDS, &value, error))
        return FALSE;
      options.n_grids = (guint) value;
    }

  if (seed_text != NULL)
    {
      if (!parse_number ("--seed", seed_text, 0, G_MAXUINT32, &value, error))
        return FALSE;
      options.seed = (guint32) value;
    }

  if (now_text != NULL && !parse_now (now_text, &options.now_unix, error))
    return FALSE;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                   _("“%s” already exists; remove it or choose another path"), path);
      return FALSE;
    }

  start = g_get_monotonic_time ();

  if (!(store = sm_store_open (path, error)))
    return FALSE;

  if (!sm_demo_populate_store (store, &options, error))
    {
      g_clear_object (&store);
      remove_replica (path);
      return FALSE;
    }

  g_print (/* Translators: the one line sanmen-demo prints when done: the file, counts of
            * records of each kind, the seed, and the seconds it took */
           _("%s: grids %u, compounds %u, buildings %u, households %u, residents %u, visits %u, "
             "demands %u (seed %u, %.1f s)\n"),
           path, count (store, "grid"), count (store, "compound"), count (store, "building"),
           count (store, "household"), count (store, "resident"), count (store, "visit"),
           count (store, "demand"), (guint) options.seed,
           (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("sanmen-demo");

  if (!run (&argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }

  return 0;
}
