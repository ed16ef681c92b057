/* sm-replica-task.c — work on the replica in a worker thread, on a connection of its own
 *
 * Reports, roster imports and the dashboard's figures take from a few hundred milliseconds
 * to seconds of SQLite, so they run in a GTask thread and the UI never waits. An SmStore is
 * used by one thread at a time, so such work cannot share the window's connection: it
 * opens a second one on the same file (sm_store_get_path()) in the worker thread, or uses
 * one kept from an earlier task, and writes there as local writes. This is that open and
 * run, once; what the work is, and what the result means, stays with the caller's GTask
 * (its task data, its callback, its cancellable).
 *
 * The connection is kept on the task as object data rather than its task data, which stays
 * free for the caller.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sanmen-desktop"

#include "sm-replica-task.h"

typedef struct {
  char              *path;
  SmStore           *replica;
  SmReplicaTaskFunc  func;
} ReplicaData;

static void
replica_data_free (ReplicaData *data)
{
  g_free (data->path);
  g_clear_object (&data->replica);
  g_free (data);
}

static G_DEFINE_QUARK (sm-replica-task, replica_data)

static ReplicaData *
get_replica_data (GTask *task)
{
  return g_object_get_qdata (G_OBJECT (task), replica_data_quark ());
}

static void
replica_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ReplicaData *data = get_replica_data (task);
  g_autoptr(GError) error = NULL;

  if (data->replica == NULL && !(data->replica = sm_store_open (data->path, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->func (task, data->replica, task_data, cancellable);
}

GTask *
sm_replica_task_new (gpointer             source_object,
                     SmStore             *store,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             callback_data)
{
  GTask *task;
  ReplicaData *data;

  g_return_val_if_fail (SM_IS_STORE (store), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  task = g_task_new (source_object, cancellable, callback, callback_data);
  data = g_new0 (ReplicaData, 1);
  data->path = g_strdup (sm_store_get_path (store));
  g_object_set_qdata_full (G_OBJECT (task), replica_data_quark (), data,
                           (GDestroyNotify) replica_data_free);

  return task;
}

void
sm_replica_task_set_replica (GTask   *task,
                             SmStore *replica)
{
  ReplicaData *data;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (replica == NULL || SM_IS_STORE (replica));

  data = get_replica_data (task);
  g_return_if_fail (data != NULL);

  g_set_object (&data->replica, replica);
}

void
sm_replica_task_run (GTask             *task,
                     SmReplicaTaskFunc  func)
{
  ReplicaData *data;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);

  data = get_replica_data (task);
  g_return_if_fail (data != NULL && data->func == NULL);

  data->func = func;
  g_task_run_in_thread (task, replica_thread);
}

SmStore *
sm_replica_task_get_replica (GTask *task)
{
  ReplicaData *data;

  g_return_val_if_fail (G_IS_TASK (task), NULL);

  data = get_replica_data (task);
  g_return_val_if_fail (data != NULL, NULL);

  return data->replica;
}
