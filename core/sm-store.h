/* sm-store.h — the local SQLite replica (DESIGN §3)
 *
 * One typed table per entity with each record's field clocks packed beside its values,
 * an outbox of local writes not yet acknowledged, and the sync state. A local write and a
 * merge go through one path: group by record, read the record once, decide each field
 * with sm-merge, write the record once. Local writes also add outbox rows, in the same
 * transaction. One SmStore is used from one thread at a time.
 *
 * The "changed" signal (no arguments) is emitted after each outermost commit of a
 * transaction that wrote records, local or merged: views read the store again then.
 */
#pragma once

#include <gio/gio.h>

#include "sm-change.h"
#include "sm-merge.h"
#include "sm-record.h"

G_BEGIN_DECLS

#define SM_STORE_ERROR (sm_store_error_quark ())
GQuark sm_store_error_quark (void);

typedef enum {
  SM_STORE_ERROR_FAILED,
  SM_STORE_ERROR_OPEN,        /* the file cannot be opened or created */
  SM_STORE_ERROR_CORRUPT,     /* not a replica, or damaged */
  SM_STORE_ERROR_TOO_NEW,     /* written by a newer Sanmen */
  SM_STORE_ERROR_BUSY,        /* locked by another process for too long */
  SM_STORE_ERROR_FULL,        /* the disk is full */
  SM_STORE_ERROR_IO,
  SM_STORE_ERROR_NOT_FOUND,
  SM_STORE_ERROR_APPEND_ONLY, /* a field of an append-only record was written twice */
  SM_STORE_ERROR_INVALID,     /* see the message; validation errors keep their own domain */
} SmStoreError;

/* The schema version this build writes (PRAGMA user_version). */
#define SM_STORE_SCHEMA_VERSION 1

#define SM_TYPE_STORE (sm_store_get_type ())
G_DECLARE_FINAL_TYPE (SmStore, sm_store, SM, STORE, GObject)

/* Returns the wall clock in Unix milliseconds; tests replace it to simulate devices. */
typedef guint64 (*SmStoreClockFunc) (gpointer user_data);

SmStore     *sm_store_open                (const char        *path,
                                           GError           **error);
const char  *sm_store_get_path            (SmStore           *self);
const char  *sm_store_get_site            (SmStore           *self);
SmHlc        sm_store_get_last_hlc        (SmStore           *self);
void         sm_store_set_clock_func      (SmStore           *self,
                                           SmStoreClockFunc   func,
                                           gpointer           user_data);

/* Groups the writes that follow into one transaction (nesting is allowed; only the
 * outermost commit makes them durable). Every write below is atomic on its own too. */
gboolean     sm_store_begin               (SmStore           *self,
                                           GError           **error);
gboolean     sm_store_commit              (SmStore           *self,
                                           GError           **error);
void         sm_store_rollback            (SmStore           *self);

/* Local writes: validated, stamped with a fresh HLC, written with their clocks and outbox
 * rows in one transaction. @values maps field names to GVariants (a NULL value clears a
 * field). create() requires every required field and returns the new id. */
char        *sm_store_create              (SmStore           *self,
                                           const char        *table,
                                           const char        *grid_id,
                                           GHashTable        *values,
                                           GError           **error);
gboolean     sm_store_update              (SmStore           *self,
                                           const char        *table,
                                           const char        *id,
                                           GHashTable        *values,
                                           GError           **error);
gboolean     sm_store_delete              (SmStore           *self,
                                           const char        *table,
                                           const char        *id,
                                           GError           **error);
/* Convenience: field name, GVariant (floating is fine; NULL clears), …, NULL. */
char        *sm_store_create_with         (SmStore           *self,
                                           const char        *table,
                                           const char        *grid_id,
                                           GError           **error,
                                           const char        *first_field,
                                           ...) G_GNUC_NULL_TERMINATED;
gboolean     sm_store_update_with         (SmStore           *self,
                                           const char        *table,
                                           const char        *id,
                                           GError           **error,
                                           const char        *first_field,
                                           ...) G_GNUC_NULL_TERMINATED;

/* Reading. get() fails with NOT_FOUND for an unknown id; deleted records are returned
 * (check sm_record_is_deleted()), lists leave them out. Lists are GPtrArrays of SmRecord. */
SmRecord    *sm_store_get                 (SmStore           *self,
                                           const char        *table,
                                           const char        *id,
                                           GError           **error);
gint64       sm_store_count               (SmStore           *self,
                                           const char        *table,
                                           GError           **error);
/* The grids this replica holds, by name. */
GPtrArray   *sm_store_list_grids          (SmStore           *self,
                                           GError           **error);
/* How many households sm_store_list_households() lists, for sizing a list; -1 on error. */
gint64       sm_store_count_households    (SmStore           *self,
                                           const char        *grid_id,
                                           const char        *building_id,
                                           GError           **error);
GPtrArray   *sm_store_list_households     (SmStore           *self,
                                           const char        *grid_id,
                                           const char        *building_id,
                                           guint              offset,
                                           guint              limit,
                                           GError           **error);
/* Residents living there first, then those who moved out (moved_out set). */
GPtrArray   *sm_store_list_residents      (SmStore           *self,
                                           const char        *household_id,
                                           GError           **error);
/* The compounds of @grid_id (NULL: of every grid), by name. */
GPtrArray   *sm_store_list_compounds      (SmStore           *self,
                                           const char        *grid_id,
                                           GError           **error);
/* The buildings of a compound, by the number in their names, then by name. */
GPtrArray   *sm_store_list_buildings      (SmStore           *self,
                                           const char        *compound_id,
                                           GError           **error);
/* The credit records (红色信用积分) of every resident of a household, newest first. */
GPtrArray   *sm_store_list_credits        (SmStore           *self,
                                           const char        *household_id,
                                           GError           **error);
GPtrArray   *sm_store_list_visits         (SmStore           *self,
                                           const char        *household_id,
                                           GError           **error);
/* @status NULL lists demands of any status; @grid_id NULL of every grid. */
GPtrArray   *sm_store_list_demands        (SmStore           *self,
                                           const char        *status,
                                           const char        *grid_id,
                                           guint              offset,
                                           guint              limit,
                                           GError           **error);
/* Oldest first, in (hlc, site) order: the order the status is derived in. */
GPtrArray   *sm_store_list_demand_events  (SmStore           *self,
                                           const char        *demand_id,
                                           GError           **error);
/* How many demands of each status (keys: the status values; values: GUINT_TO_POINTER
 * counts; statuses without demands are absent). @grid_id NULL counts every grid. */
GHashTable  *sm_store_count_demands_by_status (SmStore     *self,
                                           const char        *grid_id,
                                           GError           **error);
/* The demands of one status, most recently reported first, walking the status index
 * (no sort however many there are). */
GPtrArray   *sm_store_list_demands_in_status (SmStore      *self,
                                           const char        *status,
                                           const char        *grid_id,
                                           guint              offset,
                                           guint              limit,
                                           GError           **error);
/* A household's demands, most recently reported first. */
GPtrArray   *sm_store_list_household_demands (SmStore      *self,
                                           const char        *household_id,
                                           GError           **error);
/* The categories demands use, most used first; at most @limit (0: all). */
GStrv        sm_store_list_demand_categories (SmStore      *self,
                                           guint              limit,
                                           GError           **error);
/* The Today lists (今日). Each lists the first @limit matches (every one for 0) and, when
 * @out_total is not NULL, counts them all in the same pass. @grid_id NULL means every grid
 * of the replica. Dates are compared as the user's local calendar days of @now. */
/* Households with a difficulty tag and no visit where someone was met within @days
 * before @now, in address order. */
GPtrArray   *sm_store_list_difficulty_unvisited (SmStore     *self,
                                           const char        *grid_id,
                                           guint              days,
                                           GDateTime         *now,
                                           guint              limit,
                                           guint             *out_total,
                                           GError           **error);
/* Households of new residents that moved in at least @days before today and have had no
 * knock visit (someone met) on or after the day they moved in; longest waiting first. */
GPtrArray   *sm_store_list_new_not_knocked (SmStore          *self,
                                           const char        *grid_id,
                                           guint              days,
                                           GDateTime         *now,
                                           guint              limit,
                                           guint             *out_total,
                                           GError           **error);
/* Visits whose follow_up_on is today or past and that no later visit to the household
 * answered, most overdue first. */
GPtrArray   *sm_store_list_follow_ups_due (SmStore           *self,
                                           const char        *grid_id,
                                           GDateTime         *now,
                                           guint              limit,
                                           guint             *out_total,
                                           GError           **error);
/* Demands nobody has responded to (no accept, handle, escalate or resolve among their
 * events, see sm-demand-status), the longest waiting first. */
GPtrArray   *sm_store_list_demands_awaiting_response (SmStore *self,
                                           const char        *grid_id,
                                           guint              limit,
                                           guint             *out_total,
                                           GError           **error);
/* The visited_at of the household's last visit where someone was met; NULL without
 * error when there was none. */
char        *sm_store_dup_last_met_visit_at (SmStore         *self,
                                           const char        *household_id,
                                           GError           **error);

/* The three lists (三项清单). Resources (资源清单) by category, provider and name; @category
 * NULL lists every category, @active_only leaves out those no longer offered (active
 * false; a resource that never said counts as active). */
GPtrArray   *sm_store_list_resources      (SmStore           *self,
                                           const char        *category,
                                           gboolean           active_only,
                                           GError           **error);
/* The active resources, those of @category first (what a demand of that category is
 * matched with), then the others, each by category, provider and name. */
GPtrArray   *sm_store_list_resources_for_category (SmStore *self,
                                           const char        *category,
                                           GError           **error);
/* The categories resources have, by name. */
GStrv        sm_store_list_resource_categories (SmStore    *self,
                                           GError           **error);
/* 需求清单: the open demands (reported, accepted, handling, supervising), by status from
 * supervising to accepted and within one by the most recently reported, walking the
 * status index. *@out_claim_counts (may be NULL) gets a GArray of guint: each demand's
 * claims that are not cancelled. @grid_id NULL lists every grid. */
GPtrArray   *sm_store_list_open_demands   (SmStore           *self,
                                           const char        *grid_id,
                                           guint              offset,
                                           guint              limit,
                                           GArray           **out_claim_counts,
                                           GError           **error);
/* A demand's claims (认领), oldest first, with the status written on each (see
 * sm-claim-row for how a settled demand closes them). */
GPtrArray   *sm_store_list_demand_claims  (SmStore           *self,
                                           const char        *demand_id,
                                           GError           **error);

/* 认领清单: the claims still open (claimed or in progress, with no status counting as
 * claimed) of the open demands, in the order of sm_store_list_open_demands(), a demand's
 * claims in the order this replica holds them. */
GPtrArray   *sm_store_list_open_claims    (SmStore           *self,
                                           const char        *grid_id,
                                           guint              offset,
                                           guint              limit,
                                           GError           **error);

/* Sync. The outbox is read in write order; ack() removes rows the server accepted,
 * reject() moves a row to the rejected list with the server's reason. */
GPtrArray   *sm_store_outbox_read         (SmStore           *self,
                                           guint              limit,
                                           GArray           **out_seqs,
                                           GError           **error);
gint64       sm_store_outbox_count        (SmStore           *self,
                                           GError           **error);
/* The records with writes waiting, which is what a person counts ("the visit I just
 * recorded"): a visit is a dozen field writes in the outbox. */
gint64       sm_store_outbox_count_records (SmStore          *self,
                                           GError           **error);
gboolean     sm_store_outbox_ack          (SmStore           *self,
                                           const gint64      *seqs,
                                           guint              n_seqs,
                                           GError           **error);
gboolean     sm_store_outbox_reject       (SmStore           *self,
                                           gint64             seq,
                                           const char        *code,
                                           const char        *message,
                                           GError           **error);
gint64       sm_store_rejected_count      (SmStore           *self,
                                           GError           **error);

typedef struct {
  guint      taken;       /* writes that became the current value */
  guint      kept;        /* writes that lost to the current value */
  guint      duplicates;  /* writes already held */
  GPtrArray *conflicts;   /* of SmMergeConflict, when the caller asks for them */
  GPtrArray *taken_changes; /* of SmChange that became current values, when asked for:
                             * the server bumps their sequence numbers */
} SmApplyResult;

typedef struct {
  const SmField *field;
  char          *row_id;
  char          *grid_id;
  SmFieldClock   winner;
  GVariant      *winner_value;
  SmFieldClock   loser;
  GVariant      *loser_value;
} SmMergeConflict;

void         sm_merge_conflict_free       (SmMergeConflict   *conflict);
void         sm_apply_result_clear        (SmApplyResult     *result);

/* Merges remote changes in one transaction; when @cursor is not NULL it is saved in the
 * same transaction. @result may be NULL; set result->conflicts to an empty array (free
 * function sm_merge_conflict_free) to collect conflicts, and result->taken_changes (free
 * function sm_change_unref) to collect the winning writes. */
gboolean     sm_store_apply               (SmStore           *self,
                                           GPtrArray         *changes,
                                           const char        *cursor,
                                           SmApplyResult     *result,
                                           GError           **error);
char        *sm_store_dup_cursor          (SmStore           *self);
/* The next pull starts from the beginning: for another server, or another user whose
 * grids this replica has not pulled. Merging what was pulled already again is harmless. */
gboolean     sm_store_forget_cursor       (SmStore           *self,
                                           GError           **error);

/* Every change this replica holds, as the current winning writes: what a peer would need
 * to converge with it. Used by tests and by replica-to-replica exchange. */
GPtrArray   *sm_store_export_changes      (SmStore           *self,
                                           GError           **error);

/* A SHA-256 over every record's values and clocks in a canonical order: two replicas
 * with equal digests hold the same state. */
char        *sm_store_compute_digest      (SmStore           *self,
                                           GError           **error);

/* Search over residents (name, pinyin, initials, phone) and households (address, phone).
 * Returns SmSearchHit, best first. */
typedef struct {
  const SmTable *table;         /* resident or household */
  char          *id;
  char          *household_id;
  char          *title;         /* name or address */
  char          *detail;        /* address for residents, masked phone for households */
  double         rank;
} SmSearchHit;

void         sm_search_hit_free           (SmSearchHit       *hit);
GPtrArray   *sm_store_search              (SmStore           *self,
                                           const char        *query,
                                           guint              limit,
                                           GError           **error);

/* The SQLite connection, for the sync server's backend, which keeps its own tables (users,
 * sequence numbers, audit trail) in the same file and the same transactions. Use it only
 * between sm_store_begin() and sm_store_commit(), from the thread that uses the store. */
struct sqlite3 *sm_store_get_connection   (SmStore           *self);
/* A prepared statement of that connection, cached by its SQL text, reset and with its
 * bindings cleared; the store finalizes it. Errors are SM_STORE_ERROR. */
struct sqlite3_stmt *sm_store_prepare     (SmStore           *self,
                                           const char        *sql,
                                           GError           **error);

/* Runs PRAGMA integrity_check; FALSE with SM_STORE_ERROR_CORRUPT and its report. */
gboolean     sm_store_check_integrity     (SmStore           *self,
                                           GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmMergeConflict, sm_merge_conflict_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmSearchHit, sm_search_hit_free)

G_END_DECLS
