/* sm-server-cli.h — the command line of sanmen-server */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses @argv and runs the command; returns the process exit status. */
int sm_server_cli_run (int    argc,
                       char **argv);

G_END_DECLS
