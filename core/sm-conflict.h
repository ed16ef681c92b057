/* sm-conflict.h — the office's side of conflicts (DESIGN §3): list, read and resolve
 *
 * The server writes a `conflict` record for each concurrent pair of writes it merges (with
 * both values, their clocks and, from its change log, who wrote each). Office replicas
 * pull them like any record. Resolving one is an ordinary local write of the field — a
 * fresh clock, so it wins everywhere — and the record's status and resolution, in one
 * transaction, so both reach every replica together.
 */
#pragma once

#include "sm-store.h"

G_BEGIN_DECLS

typedef enum {
  SM_CONFLICT_KEEP,        /* write the record's current value again: it stays for good */
  SM_CONFLICT_TAKE_OTHER,  /* write the value that lost */
  SM_CONFLICT_NEW_VALUE,   /* write a value the office enters */
} SmConflictResolution;

/* Which of the two values the record holds now. */
typedef enum {
  SM_CONFLICT_CURRENT_WINNER,
  SM_CONFLICT_CURRENT_OTHER,
  SM_CONFLICT_CURRENT_NEITHER, /* a later write replaced both */
} SmConflictCurrent;

/* One open conflict as the Conflicts page shows it. Values are text as the server
 * recorded them (NULL for an empty field); use sm_conflict_dup_display() to show one. */
typedef struct {
  char              *id;             /* the conflict record */
  const SmField     *field;          /* the field the two writes disagree on */
  char              *row_id;
  char              *grid_id;
  char              *record_label;   /* household address, resident name, demand title, … */
  char              *winner_value;
  char              *winner_user;    /* display name, NULL if the server did not know */
  SmHlc              winner_hlc;
  char              *other_value;
  char              *other_user;
  SmHlc              other_hlc;
  SmConflictCurrent  current;
  char              *id_type;        /* a resident's document type: how a new ID number is
                                      * checked (sm_field_validate_local) */
} SmConflict;

void         sm_conflict_free              (SmConflict           *conflict);

/* Open conflicts, the oldest first (by the later of the two writes), at most @limit (0 for
 * all). Conflicts on a table or field this build does not know are left out. */
GPtrArray   *sm_conflict_list_open         (SmStore              *store,
                                            guint                 limit,
                                            GError              **error);
/* How many open conflicts the replica holds (the badge); -1 on error. */
gint64       sm_conflict_count_open        (SmStore              *store,
                                            GError              **error);

/* Resolves conflict @conflict_id. @new_value (of the field's type; floating is fine) only
 * for SM_CONFLICT_NEW_VALUE, NULL clearing the field. Validated like any local write;
 * nothing is written when it fails. A conflict already reconciled fails with
 * SM_STORE_ERROR_INVALID. */
gboolean     sm_conflict_resolve           (SmStore              *store,
                                            const char           *conflict_id,
                                            SmConflictResolution  resolution,
                                            GVariant             *new_value,
                                            GError              **error);

/* A value as the server recorded it (text) back to the field's type; NULL text is NULL.
 * Also reads what an office user types for a new value: enum values by their translated
 * label too, yes/no for booleans. */
GVariant    *sm_conflict_parse_value       (const SmField        *field,
                                            const char           *text,
                                            GError              **error);
/* A recorded value for people: enum labels, yes/no, sensitive values masked unless
 * @reveal; "" for an empty field. */
char        *sm_conflict_dup_display       (const SmField        *field,
                                            const char           *text,
                                            gboolean              reveal);
/* When a write was made, from its clock, in local time ("2025-03-01 14:05"). */
char        *sm_conflict_format_time       (SmHlc                 hlc);

/* The rule the server applies to pushes (sync-server/sm-server.c): conflict records are
 * the server's; workers may write none of their fields, office users and admins only
 * `status` and `resolution` of a record that exists. */
gboolean     sm_conflict_field_is_office_writable (const SmField *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmConflict, sm_conflict_free)

G_END_DECLS
