/* graph-sim-private.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "graph-sim.h"

G_BEGIN_DECLS

/* Version used when a path carries none, like an app's default version. */
#define GRAPH_SIM_DEFAULT_VERSION 22

typedef enum
{
  GRAPH_SIM_TOKEN_VALID,
  GRAPH_SIM_TOKEN_EXPIRED,
  GRAPH_SIM_TOKEN_PASSWORD_CHANGED,
  GRAPH_SIM_TOKEN_INVALID,
} GraphSimTokenState;

typedef enum
{
  GRAPH_SIM_FAULT_HTTP_500,
  GRAPH_SIM_FAULT_MALFORMED_JSON,
  GRAPH_SIM_FAULT_DROP_CONNECTION,
  GRAPH_SIM_FAULT_GRAPH_ERROR,
  GRAPH_SIM_FAULT_BATCH_NULL,
  GRAPH_SIM_FAULT_UNEXPECTED_SHAPE,
} GraphSimFaultKind;

/* Which days a since/until window holds: the reference leaves it open
 * (§1.1), so each reading it names is served on request. A bucket is the
 * day [start, end) of the account's time zone. */
typedef enum
{
  GRAPH_SIM_READING_OVERLAP,              /* start < until and end > since */
  GRAPH_SIM_READING_OVERLAP_INCLUSIVE,    /* start ≤ until and end > since */
  GRAPH_SIM_READING_BUCKET_END,           /* since < end ≤ until */
  GRAPH_SIM_READING_BUCKET_END_INCLUSIVE, /* since ≤ end ≤ until */
} GraphSimReading;

/* What a total over a window holding no bucket answers (§1.1). */
typedef enum
{
  GRAPH_SIM_EMPTY_TOTAL_OBJECT,           /* "total_value": {} */
  GRAPH_SIM_EMPTY_TOTAL_ZERO,             /* "total_value": {"value": 0} */
  GRAPH_SIM_EMPTY_TOTAL_MISSING,          /* no item for the metric in "data" */
  GRAPH_SIM_EMPTY_TOTAL_ERROR,            /* the whole request fails with code 100 */
} GraphSimEmptyTotal;

/* Token lifetimes the API is seen to use (reference §5.2, §5.1). */
#define GRAPH_SIM_CODE_TOKEN_LIFETIME     5183976
#define GRAPH_SIM_EXCHANGE_TOKEN_LIFETIME 5183944
#define GRAPH_SIM_SHORT_TOKEN_LIFETIME    4815
#define GRAPH_SIM_DATA_ACCESS_LIFETIME    (90 * 24 * 60 * 60)

/* What the login dialog does when it is opened. */
typedef enum
{
  GRAPH_SIM_LOGIN_PAGE,         /* show the page and wait for a click */
  GRAPH_SIM_LOGIN_APPROVE,
  GRAPH_SIM_LOGIN_DENY,
  GRAPH_SIM_LOGIN_CANCEL,
} GraphSimLoginOutcome;

/* Where a batch's usage headers go: the reference documents them on each
 * operation's own headers and says nothing of the batch response (§4). */
typedef enum
{
  GRAPH_SIM_USAGE_PER_OPERATION,
  GRAPH_SIM_USAGE_WRAPPER,
} GraphSimUsageHeaders;

/* Which id keys X-Business-Use-Case-Usage, which the reference leaves open
 * (§3): the IG user's, or that of the Page linked to it. */
typedef enum
{
  GRAPH_SIM_BUSINESS_KEY_IG_USER_ID,
  GRAPH_SIM_BUSINESS_KEY_PAGE_ID,
} GraphSimBusinessKey;

/* What a handled call asks the transport to do with its reply. */
typedef enum
{
  GRAPH_SIM_DELIVER_NORMAL,
  GRAPH_SIM_DELIVER_DROP,
  GRAPH_SIM_DELIVER_NULL,
} GraphSimDelivery;

typedef struct
{
  char  *id;
  char  *name;
  char  *ig_id;                 /* NULL when no IG account is linked */
} GraphSimPage;

typedef struct
{
  char       *id;
  char       *name;
  char      **scopes;
  GPtrArray  *pages;            /* GraphSimPage */
} GraphSimUser;

typedef struct
{
  char               *token;
  GraphSimUser       *user;     /* owned by the user list */
  const char         *type;     /* "USER" or "PAGE" */
  GraphSimTokenState  state;
  gint64              issued_at;              /* 0: an hour before now */
  gint64              expires_at;             /* 0: never */
  gint64              data_access_expires_at; /* 0: issued + 90 days */
  /* Issued as a short-lived token (the dialog's): fb_exchange_token always
   * makes a new long-lived one of it, whatever exchange_long_lived says. */
  gboolean            short_lived;
} GraphSimToken;

typedef struct
{
  char          *code;
  GraphSimUser  *user;
  char          *redirect_uri;  /* NULL: any */
  gboolean       used;
} GraphSimCode;

typedef struct
{
  char    *id;
  char    *username;
  char    *name;
  char    *biography;
  char    *website;
  gint64   followers_count;
  gint64   follows_count;
  gint64   media_count;
  guint    call_limit;
  GArray  *calls;               /* gint64 times of calls in the window */
  /* Where this account's days end: Pacific by default, its own midnight
   * when the scenario gives it a zone (whether that happens is open). */
  GTimeZone *timezone;
  char    **no_data_metrics;    /* metrics that answer nothing for it, or NULL */
  char    *page_id;             /* the first page linking it; NULL when none */
} GraphSimAccount;

typedef struct
{
  GraphSimFaultKind  kind;
  int                code;
  int                subcode;
  guint              http_status;
  int                is_transient; /* -1: the kind's default (http_500 yes, else no) */
  char              *message;
  char              *account;
  char              *metric;
  char              *path_contains;
  guint              every;
  guint              first;
  guint              matched;   /* matching calls seen so far */
} GraphSimFault;

/* The simulated world; every field is guarded by GraphSim's lock. */
typedef struct
{
  char        *app_id;
  char        *app_secret;
  guint        app_call_limit;
  gboolean     enforce_limits;
  /* Which buckets a window holds, for time series and for total values
   * (the same unless a test sets them apart). */
  GraphSimReading    until_reading;
  GraphSimReading    total_value_reading;
  GraphSimEmptyTotal empty_total;
  /* Buckets that ended less than this long ago have no value yet: the
   * API's data may lag up to 48 hours. */
  guint              data_delay_hours;
  /* reach is an estimated metric: with this set its totals disagree with
   * its daily values (by one), so that no reading reconciles them. */
  gboolean           reach_totals_estimated;
  /* The reference leaves open what fb_exchange_token does with a token that
   * is long-lived already (§5.2): by default it hands out a new 60-day token;
   * with this set it hands back the same token with what is left of its
   * lifetime. */
  gboolean     exchange_same_long_lived;
  /* Whether calls for a user's data are refused once the token's data
   * access has expired (§5.2). Off by default: the expiry is only
   * reported, in debug_token and the dialog's redirect. */
  gboolean     enforce_data_access;
  guint        latency_ms;
  gint64       now;             /* 0: real clock */
  GraphSimLoginOutcome login_outcome;
  GPtrArray   *users;           /* GraphSimUser */
  GHashTable  *tokens;          /* token string → GraphSimToken */
  GHashTable  *codes;           /* code → GraphSimCode */
  /* What this world handed out, in order and each once, for tests that
   * look for leaks: tokens (user, page and app tokens) and codes. Tokens
   * and codes the scenario itself defines are not in them. */
  GPtrArray   *issued_tokens;   /* char* */
  GPtrArray   *issued_codes;    /* char* */
  GHashTable  *accounts;        /* ig id → GraphSimAccount */
  GPtrArray   *faults;          /* GraphSimFault */
  GArray      *app_calls;       /* gint64 times of calls in the window */
  guint        token_serial;
  guint        trace_serial;
  guint        api_calls;       /* atomic: read without the lock */
  guint        throttle_errors; /* atomic: calls answered with a rate-limit code */
  /* Like the app setting "Require App Secret": every call made with a user
   * or page token must carry appsecret_proof. */
  gboolean     require_appsecret_proof;
  GraphSimUsageHeaders usage_headers;
  /* Usage headers appear only once a window holds this many calls (the
   * reference: "once enough calls have been made"); 0 = always. */
  guint        usage_headers_after_calls;
  GraphSimBusinessKey  business_usage_key;
} GraphSimState;

/* One call's answer before it is put on the wire (or into a batch). */
typedef struct
{
  guint             status;
  char             *body;
  gsize             body_length; /* 0: @body is text up to its NUL */
  GraphSimDelivery  delivery;
  char             *trace_id;
  char             *account_id; /* set for calls on an IG account */
  char             *location;   /* set for redirects */
  const char       *content_type; /* NULL: JSON */
  int               version;
  gint64            regain_minutes;
  int               error_code; /* the envelope's code, 0 without an error */
  gboolean          without_usage; /* no X-App-Usage nor X-Business-Use-Case-Usage */
} GraphSimReply;

/* One call as the router sees it. */
typedef struct
{
  const char  *method;
  const char  *path;            /* without the version prefix */
  int          version;
  GHashTable  *params;          /* char* → char* */
  const char  *bearer;
  const char  *base_url;
  gboolean     in_batch;
} GraphSimCall;

/* graph-sim-state.c */
GraphSimState *_graph_sim_state_new            (void);
void           _graph_sim_state_free           (GraphSimState *state);
void           _graph_sim_state_reset          (GraphSimState *state);
gint64         _graph_sim_state_now            (GraphSimState *state);
GraphSimUser  *_graph_sim_state_add_user       (GraphSimState *state,
                                                const char    *id,
                                                const char    *name);
GraphSimToken *_graph_sim_state_add_token      (GraphSimState *state,
                                                GraphSimUser  *user,
                                                const char    *token,
                                                const char    *type);
void           _graph_sim_state_note_issued    (GPtrArray     *issued,
                                                const char    *text);
GraphSimAccount *_graph_sim_state_add_account  (GraphSimState *state,
                                                const char    *id,
                                                const char    *username);
gboolean       _graph_sim_user_owns_account    (GraphSimUser  *user,
                                                const char    *ig_id);
gboolean       _graph_sim_user_has_scope       (GraphSimUser  *user,
                                                const char    *scope);
void           _graph_sim_fault_free           (GraphSimFault *fault);
gboolean       _graph_sim_token_state_parse    (const char         *text,
                                                GraphSimTokenState *state);
gboolean       _graph_sim_login_outcome_parse  (const char           *text,
                                                GraphSimLoginOutcome *outcome);
gboolean       _graph_sim_reading_parse        (const char      *text,
                                                GraphSimReading *reading);
gboolean       _graph_sim_empty_total_parse    (const char         *text,
                                                GraphSimEmptyTotal *answer);
gboolean       _graph_sim_exchange_mode_parse  (const char           *text,
                                                gboolean             *same);
gboolean       _graph_sim_data_access_mode_parse (const char         *text,
                                                  gboolean           *enforced);
gboolean       _graph_sim_usage_headers_parse  (const char           *text,
                                                GraphSimUsageHeaders *where);
gboolean       _graph_sim_business_key_parse   (const char           *text,
                                                GraphSimBusinessKey  *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GraphSimFault, _graph_sim_fault_free)

/* graph-sim-scenario.c */
gboolean       _graph_sim_scenario_load        (GraphSimState *state,
                                                JsonNode      *root,
                                                GError       **error);
extern const char _graph_sim_demo_scenario[];

/* graph-sim-formula.c */
typedef struct
{
  const char  *name;
  gint64       base;
  gboolean     time_series;     /* allowed with metric_type=time_series */
  gboolean     total_value;     /* allowed with metric_type=total_value */
  int          max_version;     /* 0: any; else only below this version */
  const char  *breakdowns;      /* comma list, or NULL */
  const char  *title;
  const char  *description;
} GraphSimMetric;

const GraphSimMetric *_graph_sim_metric_lookup (const char *name,
                                                guint      *index);
const GraphSimMetric *_graph_sim_metric_nth    (guint       index);
guint          _graph_sim_metric_count         (void);
guint32        _graph_sim_seed                 (const char *ig_user_id);
gint64         _graph_sim_total_of            (const char   *metric,
                                               const gint64 *values,
                                               guint         n_values);
GTimeZone     *_graph_sim_pacific              (void);
void           _graph_sim_date_in              (GTimeZone *tz,
                                                gint64     unix_seconds,
                                                GDate     *date);
gint64         _graph_sim_day_start_in         (GTimeZone   *tz,
                                                const GDate *date);
void           _graph_sim_pacific_date         (gint64  unix_seconds,
                                                GDate  *date);
gint64         _graph_sim_pacific_day_start    (const GDate *date);
char          *_graph_sim_format_end_time      (const GDate *date);
char          *_graph_sim_format_end_time_in   (GTimeZone   *tz,
                                                const GDate *date);
char          *_graph_sim_format_pacific_time  (gint64 unix_seconds);

/* graph-sim-faults.c */
GraphSimFault *_graph_sim_fault_parse_spec     (const char  *spec,
                                                GError     **error);
gboolean       _graph_sim_fault_kind_parse     (const char        *text,
                                                GraphSimFaultKind *kind);
GraphSimFault *_graph_sim_faults_match         (GraphSimState *state,
                                                const char    *path,
                                                const char    *account,
                                                const char    *metrics,
                                                gboolean       in_batch);
void           _graph_sim_fault_apply          (GraphSimFault *fault,
                                                GraphSimReply *reply);

/* graph-sim-static.c: the files behind profile_picture_url. TRUE when
 * @segments named one (the reply is set), FALSE for any other path. */
gboolean       _graph_sim_static               (GraphSimState *state,
                                                GPtrArray     *segments,
                                                GraphSimReply *reply);

/* graph-sim-reply.c */
void           _graph_sim_reply_clear          (GraphSimReply *reply);
void           _graph_sim_reply_json           (GraphSimReply *reply,
                                                guint          status,
                                                JsonBuilder   *builder);
void           _graph_sim_reply_error          (GraphSimReply *reply,
                                                guint          status,
                                                int            code,
                                                int            subcode,
                                                gboolean       is_transient,
                                                const char    *format,
                                                ...) G_GNUC_PRINTF (6, 7);
void           _graph_sim_reply_error_literal  (GraphSimReply *reply,
                                                guint          status,
                                                int            code,
                                                int            subcode,
                                                gboolean       is_transient,
                                                const char    *message);
GPtrArray     *_graph_sim_reply_headers        (GraphSimState *state,
                                                GraphSimReply *reply);

/* graph-sim-usage.c */
gboolean       _graph_sim_usage_admit          (GraphSimState *state,
                                                const char    *account_id,
                                                GraphSimReply *reply);
guint          _graph_sim_usage_app_percent    (GraphSimState *state);
guint          _graph_sim_usage_account_percent (GraphSimState   *state,
                                                 GraphSimAccount *account);
/* Whether the usage headers of the app's, or @account's, window are sent
 * yet (usage_headers_after_calls). */
gboolean       _graph_sim_usage_app_shown      (GraphSimState   *state);
gboolean       _graph_sim_usage_account_shown  (GraphSimState   *state,
                                                GraphSimAccount *account);

/* graph-sim-router.c */
void           _graph_sim_route                (GraphSimState *state,
                                                GraphSimCall  *call,
                                                GraphSimReply *reply);
gboolean       _graph_sim_split_version        (const char  *path,
                                                int         *version,
                                                const char **rest);
GraphSimToken *_graph_sim_auth                 (GraphSimState *state,
                                                GraphSimCall  *call,
                                                GraphSimReply *reply);
void           _graph_sim_token_error          (GraphSimState *state,
                                                GraphSimToken *token,
                                                GraphSimReply *reply);
char          *_graph_sim_token_error_message  (GraphSimState *state,
                                                GraphSimToken *token,
                                                int           *subcode);
void           _graph_sim_unsupported          (GraphSimReply *reply,
                                                const char    *method,
                                                const char    *id);
GHashTable    *_graph_sim_form_decode          (const char    *encoded,
                                                gssize         len);
char          *_graph_sim_build_url            (GraphSimCall  *call,
                                                const char    *path,
                                                GHashTable    *params);

/* graph-sim-insights.c */
void           _graph_sim_insights             (GraphSimState   *state,
                                                GraphSimCall    *call,
                                                GraphSimToken   *token,
                                                GraphSimAccount *account,
                                                GraphSimReply   *reply);

/* graph-sim-nodes.c */
void           _graph_sim_ig_node              (GraphSimState   *state,
                                                GraphSimCall    *call,
                                                GraphSimAccount *account,
                                                GraphSimReply   *reply);
void           _graph_sim_me                   (GraphSimState *state,
                                                GraphSimCall  *call,
                                                GraphSimToken *token,
                                                GraphSimReply *reply);
void           _graph_sim_me_accounts          (GraphSimState *state,
                                                GraphSimCall  *call,
                                                GraphSimToken *token,
                                                GraphSimReply *reply);

/* graph-sim-tokens.c */
void           _graph_sim_debug_token          (GraphSimState *state,
                                                GraphSimCall  *call,
                                                GraphSimReply *reply);
void           _graph_sim_oauth_access_token   (GraphSimState *state,
                                                GraphSimCall  *call,
                                                GraphSimReply *reply);
/* FALSE, with the API's error in @reply, when the call's appsecret_proof is
 * wrong, or missing while the app requires it. */
gboolean       _graph_sim_check_appsecret_proof (GraphSimState *state,
                                                 GraphSimCall  *call,
                                                 GraphSimReply *reply);
/* When the token's data access ends: its own date, else issued + 90 days. */
gint64         _graph_sim_token_data_access_expires_at (GraphSimState *state,
                                                        GraphSimToken *token);
/* A new user token, registered like the scenario's: valid everywhere. */
GraphSimToken *_graph_sim_issue_token          (GraphSimState *state,
                                                GraphSimUser  *user,
                                                gint64         lifetime);

/* graph-sim-login.c */
void           _graph_sim_oauth_dialog         (GraphSimState *state,
                                                GraphSimCall  *call,
                                                GraphSimReply *reply);

/* graph-sim-batch.c */
void           _graph_sim_batch                (GraphSimState *state,
                                                GraphSimCall  *call,
                                                GraphSimReply *reply);

G_END_DECLS
