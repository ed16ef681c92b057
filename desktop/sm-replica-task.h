/* sm-replica-task.h — work on the replica in a worker thread, on a connection of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sm-store.h"

G_BEGIN_DECLS

/* Runs in the worker thread with @replica, the task's own connection to the replica, and
 * returns through @task (g_task_return_*()) as a GTaskThreadFunc does. */
typedef void (*SmReplicaTaskFunc) (GTask        *task,
                                   SmStore      *replica,
                                   gpointer      task_data,
                                   GCancellable *cancellable);

/* A GTask, as g_task_new() makes one, for work on the replica file of @store. Its task
 * data (g_task_set_task_data()) is the caller's, as with any GTask; @callback runs on the
 * thread of this call once the work is done or has failed. */
GTask   *sm_replica_task_new         (gpointer             source_object,
                                      SmStore             *store,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             callback_data);
/* Lets @task use @replica, a connection opened by an earlier task and kept (used by one
 * thread at a time), instead of opening one. */
void     sm_replica_task_set_replica (GTask               *task,
                                      SmStore             *replica);
/* Opens the task's connection in a worker thread (unless one was set) and runs @func
 * there; a failure to open returns its error through @task. */
void     sm_replica_task_run         (GTask               *task,
                                      SmReplicaTaskFunc    func);
/* The task's connection, for the next task, once the work is done: NULL when it could
 * not be opened. */
SmStore *sm_replica_task_get_replica (GTask               *task);

G_END_DECLS
