/* instasync-account-page.h
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "instasync-account.h"
#include "instasync-chart.h"
#include "instasync-sync-manager.h"

G_BEGIN_DECLS

#define INSTASYNC_TYPE_ACCOUNT_PAGE (instasync_account_page_get_type ())

G_DECLARE_FINAL_TYPE (InstaSyncAccountPage, instasync_account_page, INSTASYNC, ACCOUNT_PAGE, GtkWidget)

/* One account: overview cards for the chosen range, the chart of a chosen
 * metric, the last sync's result and the sync history. Everything it shows
 * comes from the sync manager; the page only asks and displays. */
void              instasync_account_page_set_context (InstaSyncAccountPage *self,
                                                      InstaSyncSyncManager *manager,
                                                      GSettings            *settings);
InstaSyncAccount *instasync_account_page_get_account (InstaSyncAccountPage *self);
void              instasync_account_page_set_account (InstaSyncAccountPage *self,
                                                      InstaSyncAccount     *account);

/* For tests: the chart, the text of overview card @index (value and
 * change), and whether the page is still loading. */
InstaSyncChart   *instasync_account_page_get_chart   (InstaSyncAccountPage *self);
char             *instasync_account_page_dup_card_text (InstaSyncAccountPage *self,
                                                        guint                 index);
gboolean          instasync_account_page_get_loading (InstaSyncAccountPage *self);
/* The last result's summary as the page shows it, or NULL. */
const char       *instasync_account_page_get_result_summary (InstaSyncAccountPage *self);
/* Unfolds the last result's per-metric details; their number, or -1 when
 * no result is shown. */
int               instasync_account_page_show_result_details (InstaSyncAccountPage *self);

G_END_DECLS
