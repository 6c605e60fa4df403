/* instasync-embedded-db.c
 *
 * Copyright 2026 Credify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "instasync-embedded-db"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "instasync-embedded-db.h"
#include "instasync-error.h"

/* The superuser initdb creates, and the database the app uses. */
#define DB_USER "instasync"
#define DB_NAME "instasync"
#define DB_PORT 5432

/* sockaddr_un.sun_path is 108 bytes on Linux and PostgreSQL also needs room
 * for ".lock" after the socket name; stay well below. */
#define MAX_SOCKET_PATH 100
#define SOCKET_NAME ".s.PGSQL.5432"

/* The server runs as this OS user when we are root: PostgreSQL refuses to
 * run as root. */
#define SERVER_OS_USER "postgres"

#define LOG_TAIL_LINES 12

struct _InstaSyncEmbeddedDb
{
  GObject   parent_instance;

  char     *cluster_dir;
  char     *socket_dir;
  char     *conninfo;
  int       port;

  /* Two flock(2) locks beside the cluster, shared by every process that
   * uses it: the app, instasyncctl from a timer or a terminal.
   * <cluster>.lock is taken exclusively around initdb, start and stop, so
   * that two first runs do not both run initdb and a stop does not race a
   * start. <cluster>.in-use is held shared from start to stop: the last
   * user, who alone can take it exclusively, stops the server. -1 when
   * not open. */
  int       cluster_lock_fd;
  int       in_use_fd;

  /* A socket directory of our own outside the cluster (long cluster paths);
   * removed once the server is stopped. */
  gboolean  socket_dir_is_temp;
  gboolean  throwaway;
};

G_DEFINE_FINAL_TYPE (InstaSyncEmbeddedDb, instasync_embedded_db, G_TYPE_OBJECT)

/* How to run the server binaries: as ourselves, or as the postgres OS user
 * when we are root. */
typedef struct
{
  gboolean as_other_user;
  uid_t    uid;
  gid_t    gid;
} ServerUser;

static void
instasync_embedded_db_finalize (GObject *object)
{
  InstaSyncEmbeddedDb *self = (InstaSyncEmbeddedDb *)object;

  /* Closing them drops the locks: the server stays up for whoever else
   * uses it, and the next one to stop finds it unused. */
  if (self->in_use_fd >= 0)
    close (self->in_use_fd);
  if (self->cluster_lock_fd >= 0)
    close (self->cluster_lock_fd);

  g_free (self->cluster_dir);
  g_free (self->socket_dir);
  g_free (self->conninfo);

  G_OBJECT_CLASS (instasync_embedded_db_parent_class)->finalize (object);
}

static void
instasync_embedded_db_class_init (InstaSyncEmbeddedDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = instasync_embedded_db_finalize;
}

static void
instasync_embedded_db_init (InstaSyncEmbeddedDb *self)
{
  self->port = DB_PORT;
  self->cluster_lock_fd = -1;
  self->in_use_fd = -1;
}

InstaSyncEmbeddedDb *
instasync_embedded_db_new (const char *cluster_dir)
{
  InstaSyncEmbeddedDb *self;

  g_return_val_if_fail (cluster_dir != NULL, NULL);

  self = g_object_new (INSTASYNC_TYPE_EMBEDDED_DB, NULL);
  self->cluster_dir = g_canonicalize_filename (cluster_dir, NULL);

  return self;
}

char *
instasync_embedded_db_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "instasync", "postgres", NULL);
}

const char *
instasync_embedded_db_get_conninfo (InstaSyncEmbeddedDb *self)
{
  g_return_val_if_fail (INSTASYNC_IS_EMBEDDED_DB (self), NULL);

  return self->conninfo;
}

/* Helpers */

static const char *
pg_bindir (void)
{
  const char *dir = g_getenv ("INSTASYNC_PG_BINDIR");

  return dir != NULL && *dir != '\0' ? dir : PG_BINDIR;
}

static gboolean
get_server_user (ServerUser  *user,
                 GError     **error)
{
  struct passwd *pw;

  memset (user, 0, sizeof *user);
  if (geteuid () != 0)
    return TRUE;

  pw = getpwnam (SERVER_OS_USER);
  if (pw == NULL)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                   /* Translators: %s is the name of a system user, "postgres" */
                   _("InstaSync runs as root, so its PostgreSQL server must run as the "
                     "“%s” user, which does not exist"), SERVER_OS_USER);
      return FALSE;
    }

  user->as_other_user = TRUE;
  user->uid = pw->pw_uid;
  user->gid = pw->pw_gid;
  return TRUE;
}

static gboolean
give_to_server_user (const ServerUser  *user,
                     const char        *path,
                     GError           **error)
{
  if (!user->as_other_user)
    return TRUE;

  if (chown (path, user->uid, user->gid) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                   /* Translators: the first %s is a path, the second the name of a
                    * system user, "postgres", the third what went wrong */
                   _("Could not hand %s to the %s user: %s"),
                   path, SERVER_OS_USER, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* The server user must be able to walk down to the cluster; we will not
 * loosen the permissions of someone's home directory behind their back. */
static gboolean
check_reachable (const ServerUser  *user,
                 const char        *path,
                 GError           **error)
{
  g_autofree char *dir = NULL;

  if (!user->as_other_user)
    return TRUE;

  dir = g_path_get_dirname (path);
  while (TRUE)
    {
      struct stat st;
      char *parent;

      if (g_stat (dir, &st) == 0)
        {
          gboolean ok = (st.st_mode & S_IXOTH) != 0 ||
                        (st.st_uid == user->uid && (st.st_mode & S_IXUSR) != 0) ||
                        (st.st_gid == user->gid && (st.st_mode & S_IXGRP) != 0);

          if (!ok)
            {
              g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_CONFIG,
                           /* Translators: the first %s is the name of a system user,
                            * "postgres"; the others are paths */
                           _("InstaSync runs as root, so its PostgreSQL server runs as the "
                             "%s user, which cannot enter %s to reach %s; "
                             "choose a database directory it can reach"),
                           SERVER_OS_USER, dir, path);
              return FALSE;
            }
        }

      parent = g_path_get_dirname (dir);
      if (g_str_equal (parent, dir))
        {
          g_free (parent);
          break;
        }
      g_free (dir);
      dir = parent;
    }

  return TRUE;
}

/* The files that live beside the cluster rather than in it: initdb wants an
 * empty directory, and when we are root the cluster belongs to the server
 * user while these stay ours. */
static char *
sibling_path (InstaSyncEmbeddedDb *self,
              const char          *suffix)
{
  return g_strconcat (self->cluster_dir, suffix, NULL);
}

static gboolean
ensure_parent_dir (InstaSyncEmbeddedDb  *self,
                   GError              **error)
{
  g_autofree char *parent = g_path_get_dirname (self->cluster_dir);

  if (g_mkdir_with_parents (parent, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                   _("Could not create %s: %s"), parent, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static gboolean
lock_file (InstaSyncEmbeddedDb  *self,
           const char           *suffix,
           int                  *fd,
           int                   operation,
           GError              **error)
{
  if (*fd < 0)
    {
      g_autofree char *path = sibling_path (self, suffix);

      /* Close-on-exec: a server that inherited one would hold it for life. */
      *fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
      if (*fd < 0)
        {
          int saved_errno = errno;

          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                       _("Could not open %s: %s"), path, g_strerror (saved_errno));
          return FALSE;
        }
    }

  while (flock (*fd, operation) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;

      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                   /* Translators: %s is the folder of the database */
                   _("Could not lock the database in %s: %s"),
                   self->cluster_dir, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* Waits for every other process to finish its initdb, start or stop. */
static gboolean
lock_cluster (InstaSyncEmbeddedDb  *self,
              GError              **error)
{
  return ensure_parent_dir (self, error) &&
         lock_file (self, ".lock", &self->cluster_lock_fd, LOCK_EX, error);
}

static void
unlock_cluster (InstaSyncEmbeddedDb *self)
{
  if (self->cluster_lock_fd >= 0)
    flock (self->cluster_lock_fd, LOCK_UN);
}

/* Taken under the cluster lock, so never while someone is stopping. */
static gboolean
hold_in_use (InstaSyncEmbeddedDb  *self,
             GError              **error)
{
  return lock_file (self, ".in-use", &self->in_use_fd, LOCK_SH, error);
}

static void
release_in_use (InstaSyncEmbeddedDb *self)
{
  if (self->in_use_fd >= 0)
    close (self->in_use_fd);
  self->in_use_fd = -1;
}

/* TRUE when no other InstaSyncEmbeddedDb, in this process or another, holds
 * the cluster. Converting a shared flock is not atomic, so afterwards we
 * may hold nothing: call it only on the way out. */
static gboolean
is_last_user (InstaSyncEmbeddedDb *self)
{
  int status;

  do
    status = flock (self->in_use_fd, LOCK_EX | LOCK_NB);
  while (status != 0 && errno == EINTR);

  return status == 0;
}

static char *
server_log_path (InstaSyncEmbeddedDb *self)
{
  return g_build_filename (self->cluster_dir, "server.log", NULL);
}

static char *
tail_lines (const char *text,
            guint       n_lines)
{
  g_auto(GStrv) lines = NULL;
  guint len, start;
  g_autoptr(GString) out = g_string_new (NULL);

  if (text == NULL)
    return g_strdup ("");

  lines = g_strsplit (text, "\n", -1);
  len = g_strv_length (lines);
  while (len > 0 && *g_strstrip (lines[len - 1]) == '\0')
    len--;
  start = len > n_lines ? len - n_lines : 0;

  for (guint i = start; i < len; i++)
    {
      g_string_append (out, lines[i]);
      if (i + 1 < len)
        g_string_append_c (out, '\n');
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
server_log_tail (InstaSyncEmbeddedDb *self)
{
  g_autofree char *path = server_log_path (self);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("(no server log)");

  return tail_lines (contents, LOG_TAIL_LINES);
}

/* Runs one of the server binaries, as the server user. Returns FALSE only
 * when it could not be run at all; @exit_status and @output tell the rest. */
static gboolean
run_tool (const ServerUser  *user,
          const char        *tool,
          const char * const *args,
          int               *exit_status,
          char             **output,
          GError           **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *program = g_build_filename (pg_bindir (), tool, NULL);
  g_autofree char *out = NULL;

  if (user->as_other_user)
    {
      g_autofree char *setpriv = g_find_program_in_path ("setpriv");

      /* setpriv changes user without PAM or a login session, which is all a
       * server needs; runuser is the fallback. */
      if (setpriv != NULL)
        {
          g_ptr_array_add (argv, g_steal_pointer (&setpriv));
          g_ptr_array_add (argv, g_strdup_printf ("--reuid=%u", (guint) user->uid));
          g_ptr_array_add (argv, g_strdup_printf ("--regid=%u", (guint) user->gid));
          g_ptr_array_add (argv, g_strdup ("--init-groups"));
          g_ptr_array_add (argv, g_strdup ("--"));
        }
      else
        {
          g_ptr_array_add (argv, g_strdup ("runuser"));
          g_ptr_array_add (argv, g_strdup ("-u"));
          g_ptr_array_add (argv, g_strdup (SERVER_OS_USER));
          g_ptr_array_add (argv, g_strdup ("--"));
        }
    }

  g_ptr_array_add (argv, g_strdup (program));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  /* Our working directory may be one the server user cannot enter. */
  g_subprocess_launcher_set_cwd (launcher, "/");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  /* The server keeps its environment for life and a superuser can read it:
   * the token key and the database address stay out of it. */
  {
    g_auto(GStrv) environment = g_get_environ ();

    for (guint i = 0; environment[i] != NULL; i++)
      if (g_str_has_prefix (environment[i], "INSTASYNC_"))
        {
          g_autofree char *name = g_strndup (environment[i], strcspn (environment[i], "="));
          g_subprocess_launcher_unsetenv (launcher, name);
        }
  }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (process == NULL)
    {
      g_prefix_error (error, _("Could not run %s: "), program);
      return FALSE;
    }

  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, error))
    {
      g_prefix_error (error, _("Could not run %s: "), program);
      return FALSE;
    }

  *exit_status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  if (output != NULL)
    *output = g_steal_pointer (&out);

  return TRUE;
}

/* Like run_tool(), but a non-zero exit is an error that quotes the tool and,
 * when asked, the end of the server log. */
static gboolean
run_tool_checked (InstaSyncEmbeddedDb  *self,
                  const ServerUser     *user,
                  const char           *what,
                  gboolean              with_log,
                  const char           *tool,
                  const char * const   *args,
                  GError              **error)
{
  g_autofree char *output = NULL;
  g_autofree char *tail = NULL;
  g_autofree char *failed = NULL;
  int status = -1;

  if (!run_tool (user, tool, args, &status, &output, error))
    return FALSE;

  if (status == 0)
    return TRUE;

  tail = tail_lines (output, LOG_TAIL_LINES);
  if (g_str_equal (what, "create"))
    /* Translators: %s is the folder of the database */
    failed = g_strdup_printf (_("Could not create the database in %s"), self->cluster_dir);
  else if (g_str_equal (what, "start"))
    /* Translators: %s is the folder of the database */
    failed = g_strdup_printf (_("Could not start the database in %s"), self->cluster_dir);
  else
    /* Translators: %s is the folder of the database */
    failed = g_strdup_printf (_("Could not stop the database in %s"), self->cluster_dir);

  if (with_log)
    {
      g_autofree char *log = server_log_tail (self);

      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                   "%s: %s\n%s\n%s", failed, tail, _("Server log:"), log);
    }
  else
    g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                 "%s: %s", failed, tail);

  return FALSE;
}

/* postmaster.pid: pid, data directory, start time, port, socket directory,
 * listen address, shared memory key, status. */
typedef struct
{
  GPid   pid;
  int    port;
  char  *socket_dir;
} PidFile;

static void
pid_file_clear (PidFile *pid_file)
{
  g_clear_pointer (&pid_file->socket_dir, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PidFile, pid_file_clear)

static char *
pid_file_path (InstaSyncEmbeddedDb *self)
{
  return g_build_filename (self->cluster_dir, "postmaster.pid", NULL);
}

static gboolean
read_pid_file (InstaSyncEmbeddedDb *self,
               PidFile             *pid_file)
{
  g_autofree char *path = pid_file_path (self);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  memset (pid_file, 0, sizeof *pid_file);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;

  lines = g_strsplit (contents, "\n", -1);
  if (lines[0] == NULL)
    return FALSE;

  pid_file->pid = (GPid) g_ascii_strtoll (lines[0], NULL, 10);
  if (g_strv_length (lines) > 3)
    pid_file->port = (int) g_ascii_strtoll (lines[3], NULL, 10);
  if (g_strv_length (lines) > 4 && *g_strstrip (lines[4]) != '\0')
    pid_file->socket_dir = g_strdup (lines[4]);

  return pid_file->pid > 0;
}

typedef enum
{
  PROCESS_GONE,
  PROCESS_OTHER,
  PROCESS_THIS_SERVER,
} ProcessKind;

static gboolean
same_directory (const char *a,
                const char *b)
{
  struct stat st_a, st_b;

  return g_stat (a, &st_a) == 0 && g_stat (b, &st_b) == 0 &&
         st_a.st_dev == st_b.st_dev && st_a.st_ino == st_b.st_ino;
}

/* Whether the process @pid of a postmaster.pid is the server of this
 * cluster. After a crash and a reboot that pid may belong to anything,
 * another PostgreSQL server included, so a live process with the right name
 * is not enough: a postmaster works in its data directory. */
static ProcessKind
classify_process (InstaSyncEmbeddedDb *self,
                  GPid                 pid)
{
  g_autofree char *cwd_path = g_strdup_printf ("/proc/%d/cwd", (int) pid);
  g_autofree char *cmdline_path = g_strdup_printf ("/proc/%d/cmdline", (int) pid);
  g_autofree char *cmdline = NULL;
  struct stat st;
  gsize length;

  if (kill (pid, 0) != 0 && errno == ESRCH)
    return PROCESS_GONE;

  if (g_stat (cwd_path, &st) == 0)
    return same_directory (cwd_path, self->cluster_dir) ? PROCESS_THIS_SERVER : PROCESS_OTHER;
  if (errno == ENOENT && g_file_test ("/proc/self", G_FILE_TEST_IS_DIR))
    return PROCESS_GONE;

  /* Someone else's process, whose working directory we may not see: pg_ctl
   * put the data directory on the server's command line. */
  if (g_file_get_contents (cmdline_path, &cmdline, &length, NULL) && length > 0)
    {
      for (const char *arg = cmdline; arg < cmdline + length; arg += strlen (arg) + 1)
        if (g_str_equal (arg, self->cluster_dir))
          return PROCESS_THIS_SERVER;
      return PROCESS_OTHER;
    }

  /* No /proc to tell: rather take it for our server than ever remove the
   * lock file of a live one. */
  return PROCESS_THIS_SERVER;
}

static gboolean
server_running (InstaSyncEmbeddedDb *self,
                PidFile             *pid_file)
{
  return read_pid_file (self, pid_file) &&
         classify_process (self, pid_file->pid) == PROCESS_THIS_SERVER;
}

static void
append_conninfo_value (GString    *conninfo,
                       const char *keyword,
                       const char *value)
{
  if (conninfo->len > 0)
    g_string_append_c (conninfo, ' ');
  g_string_append_printf (conninfo, "%s='", keyword);
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (conninfo, '\\');
      g_string_append_c (conninfo, *p);
    }
  g_string_append_c (conninfo, '\'');
}

static char *
make_conninfo (const char *socket_dir,
               int         port,
               const char *dbname)
{
  g_autoptr(GString) conninfo = g_string_new (NULL);
  g_autofree char *port_text = g_strdup_printf ("%d", port);

  append_conninfo_value (conninfo, "host", socket_dir);
  append_conninfo_value (conninfo, "port", port_text);
  append_conninfo_value (conninfo, "dbname", dbname);
  append_conninfo_value (conninfo, "user", DB_USER);

  return g_string_free (g_steal_pointer (&conninfo), FALSE);
}

static void
use_socket (InstaSyncEmbeddedDb *self,
            const char          *socket_dir,
            int                  port)
{
  if (g_strcmp0 (self->socket_dir, socket_dir) != 0)
    {
      g_free (self->socket_dir);
      self->socket_dir = g_strdup (socket_dir);
    }
  /* Whoever stops the server removes a socket directory outside the
   * cluster, whoever made it. */
  self->socket_dir_is_temp = !g_str_equal (self->socket_dir, self->cluster_dir);
  self->port = port > 0 ? port : DB_PORT;
  g_free (self->conninfo);
  self->conninfo = make_conninfo (self->socket_dir, self->port, DB_NAME);
}

/* Waits until a server someone else started accepts connections. */
static gboolean
wait_until_ready (InstaSyncEmbeddedDb  *self,
                  GError              **error)
{
  g_autofree char *conninfo = make_conninfo (self->socket_dir, self->port, "postgres");

  for (guint i = 0; i < 600; i++)
    {
      if (PQping (conninfo) == PQPING_OK)
        return TRUE;
      g_usleep (100 * G_TIME_SPAN_MILLISECOND);
    }

  g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
               _("The database server of %s is running but does not accept connections"),
               self->cluster_dir);
  return FALSE;
}

static gboolean
pick_socket_dir (InstaSyncEmbeddedDb  *self,
                 const ServerUser     *user,
                 GError              **error)
{
  g_autofree char *template = NULL;
  const char *base;

  if (self->socket_dir != NULL && g_file_test (self->socket_dir, G_FILE_TEST_IS_DIR))
    return TRUE;

  self->socket_dir_is_temp = FALSE;
  if (strlen (self->cluster_dir) + 1 + strlen (SOCKET_NAME) < MAX_SOCKET_PATH)
    {
      g_free (self->socket_dir);
      self->socket_dir = g_strdup (self->cluster_dir);
      return TRUE;
    }

  /* The runtime directory of root is not one the server user may enter. */
  base = user->as_other_user ? "/tmp" : g_get_user_runtime_dir ();
  if (strlen (base) + 32 > MAX_SOCKET_PATH)
    base = "/tmp";

  template = g_build_filename (base, "instasync-pg-XXXXXX", NULL);
  if (g_mkdtemp_full (template, 0700) == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                   _("Could not create a socket directory for the database: %s"),
                   g_strerror (saved_errno));
      return FALSE;
    }

  if (!give_to_server_user (user, template, error))
    {
      g_rmdir (template);
      return FALSE;
    }

  g_free (self->socket_dir);
  self->socket_dir = g_steal_pointer (&template);
  self->socket_dir_is_temp = TRUE;
  return TRUE;
}

static void
drop_temp_socket_dir (InstaSyncEmbeddedDb *self)
{
  if (!self->socket_dir_is_temp || self->socket_dir == NULL)
    return;

  /* Empty once the server is gone; rmdir fails harmlessly otherwise. */
  g_rmdir (self->socket_dir);
  g_clear_pointer (&self->socket_dir, g_free);
  self->socket_dir_is_temp = FALSE;
}

static gboolean
init_cluster (InstaSyncEmbeddedDb  *self,
              const ServerUser     *user,
              GError              **error)
{
  g_autofree char *parent = g_path_get_dirname (self->cluster_dir);
  g_autofree char *conf_path = NULL;
  const char *args[] = {
    "-D", self->cluster_dir,
    "--encoding=UTF8", "--no-locale", "--auth=trust", "-U", DB_USER,
    self->throwaway ? "--no-sync" : NULL,
    NULL
  };
  /* Appended, so that whoever starts this cluster gets a Unix socket only,
   * reachable by its owner only. */
  static const char settings[] =
    "\n# InstaSync: a private cluster, reachable through its Unix socket only.\n"
    "listen_addresses = ''\n"
    "unix_socket_permissions = 0700\n";
  g_autoptr(GFile) conf = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;

  if (g_mkdir_with_parents (parent, 0755) != 0 ||
      (g_mkdir (self->cluster_dir, 0700) != 0 && errno != EEXIST))
    {
      int saved_errno = errno;

      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                   _("Could not create %s: %s"), self->cluster_dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (!check_reachable (user, self->cluster_dir, error) ||
      !give_to_server_user (user, self->cluster_dir, error))
    return FALSE;

  g_debug ("Creating a database cluster in %s", self->cluster_dir);
  if (!run_tool_checked (self, user, "create", FALSE, "initdb", args, error))
    return FALSE;

  conf_path = g_build_filename (self->cluster_dir, "postgresql.conf", NULL);
  conf = g_file_new_for_path (conf_path);
  stream = g_file_append_to (conf, G_FILE_CREATE_NONE, NULL, error);
  if (stream == NULL ||
      !g_output_stream_write_all (G_OUTPUT_STREAM (stream), settings, strlen (settings),
                                  NULL, NULL, error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error))
    {
      g_prefix_error (error, _("Could not configure the database in %s: "), self->cluster_dir);
      return FALSE;
    }

  return TRUE;
}

static gboolean
start_server (InstaSyncEmbeddedDb  *self,
              const ServerUser     *user,
              GError              **error)
{
  g_autofree char *log_path = server_log_path (self);
  g_autofree char *quoted_socket_dir = NULL;
  g_autofree char *options = NULL;
  const char *args[] = {
    "-D", self->cluster_dir, "-w", "-t", "60", "-l", log_path,
    "-o", NULL, "start", NULL
  };

  if (!pick_socket_dir (self, user, error))
    return FALSE;

  /* pg_ctl hands -o to a shell, hence the quoting. */
  quoted_socket_dir = g_shell_quote (self->socket_dir);
  options = g_strdup_printf ("-k %s -p %d -c listen_addresses='' -c unix_socket_permissions=0700%s",
                             quoted_socket_dir, DB_PORT,
                             self->throwaway ? " -c fsync=off -c synchronous_commit=off"
                                               " -c full_page_writes=off" : "");
  args[8] = options;

  g_debug ("Starting the database server of %s", self->cluster_dir);
  return run_tool_checked (self, user, "start", TRUE, "pg_ctl", args, error);
}

static gboolean
ensure_database (InstaSyncEmbeddedDb  *self,
                 GError              **error)
{
  g_autofree char *conninfo = make_conninfo (self->socket_dir, self->port, "postgres");
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result = NULL;
  gboolean ok = FALSE;

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strdup (PQerrorMessage (conn));

      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                   _("Could not connect to the database server of %s: %s"),
                   self->cluster_dir, g_strstrip (message));
      goto out;
    }

  result = PQexec (conn, "SELECT 1 FROM pg_database WHERE datname = '" DB_NAME "'");
  if (PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) > 0)
    {
      ok = TRUE;
      goto out;
    }
  g_clear_pointer (&result, PQclear);

  result = PQexec (conn, "CREATE DATABASE " DB_NAME);
  if (PQresultStatus (result) == PGRES_COMMAND_OK)
    ok = TRUE;
  else
    {
      const char *state = PQresultErrorField (result, PG_DIAG_SQLSTATE);

      /* Another process created it at the same moment: fine. */
      if (g_strcmp0 (state, "42P04") == 0 || g_strcmp0 (state, "23505") == 0)
        ok = TRUE;
      else
        {
          g_autofree char *message = g_strdup (PQresultErrorMessage (result));

          g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                       _("Could not create the database in %s: %s"),
                       self->cluster_dir, g_strstrip (message));
        }
    }

out:
  g_clear_pointer (&result, PQclear);
  PQfinish (conn);
  return ok;
}

/* The start itself, under the cluster lock: no other InstaSync process is
 * in initdb, start or stop meanwhile. */
static gboolean
start_locked (InstaSyncEmbeddedDb  *self,
              const ServerUser     *user,
              GError              **error)
{
  g_auto(PidFile) pid_file = { 0, };
  g_autofree char *version_path = NULL;
  g_autoptr(GError) start_error = NULL;

  if (read_pid_file (self, &pid_file))
    {
      ProcessKind kind = classify_process (self, pid_file.pid);

      if (kind == PROCESS_THIS_SERVER)
        goto reuse;

      /* A postmaster.pid without its server: a crash or a power cut. The
       * server removes one whose pid is gone itself, but refuses to start
       * while that pid is alive, and after a reboot it may be anything's.
       * Under the cluster lock no InstaSync server can be starting, and
       * this process is not one of this cluster: the file is stale. */
      if (kind == PROCESS_OTHER)
        {
          g_autofree char *stale_path = pid_file_path (self);

          g_debug ("Removing the stale %s of pid %d, which is not its server",
                   stale_path, (int) pid_file.pid);
          if (g_unlink (stale_path) != 0 && errno != ENOENT)
            {
              int saved_errno = errno;

              g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                           _("Could not remove the stale %s: %s"), stale_path,
                           g_strerror (saved_errno));
              return FALSE;
            }
        }
    }
  /* A file we cannot make sense of (one a server outside our lock is still
   * writing, say) is the server's to judge: it refuses to start rather than
   * run beside a live one. */
  pid_file_clear (&pid_file);

  version_path = g_build_filename (self->cluster_dir, "PG_VERSION", NULL);
  if (!g_file_test (version_path, G_FILE_TEST_EXISTS) &&
      !init_cluster (self, user, error))
    return FALSE;

  if (!check_reachable (user, self->cluster_dir, error))
    return FALSE;

  if (!start_server (self, user, &start_error))
    {
      /* A server not of ours (an older InstaSync, a user's pg_ctl) may have
       * started at the same moment. */
      if (server_running (self, &pid_file))
        goto reuse;

      drop_temp_socket_dir (self);
      g_propagate_error (error, g_steal_pointer (&start_error));
      return FALSE;
    }

  use_socket (self, self->socket_dir, DB_PORT);
  return ensure_database (self, error);

reuse:
  g_debug ("Reusing the running database server of %s (pid %d)",
           self->cluster_dir, (int) pid_file.pid);
  if (pid_file.socket_dir == NULL)
    {
      g_set_error (error, INSTASYNC_ERROR, INSTASYNC_ERROR_DATABASE,
                   _("The database server of %s listens on no Unix socket"),
                   self->cluster_dir);
      return FALSE;
    }
  if (self->socket_dir_is_temp && g_strcmp0 (self->socket_dir, pid_file.socket_dir) != 0)
    drop_temp_socket_dir (self);
  use_socket (self, pid_file.socket_dir, pid_file.port);

  return wait_until_ready (self, error) && ensure_database (self, error);
}

static gboolean
stop_server (InstaSyncEmbeddedDb  *self,
             GError              **error)
{
  const char *fast[] = { "-D", self->cluster_dir, "-w", "-t", "30", "-m", "fast", "stop", NULL };
  const char *immediate[] = { "-D", self->cluster_dir, "-w", "-t", "30", "-m", "immediate", "stop", NULL };
  g_autoptr(GError) fast_error = NULL;
  ServerUser user;

  if (!get_server_user (&user, error))
    return FALSE;

  g_debug ("Stopping the database server of %s", self->cluster_dir);

  /* Fast rolls back open transactions and disconnects clients cleanly;
   * immediate is for a server that does not get there in time. */
  if (!run_tool_checked (self, &user, "stop", TRUE, "pg_ctl", fast, &fast_error))
    {
      g_debug ("Fast shutdown failed, shutting down immediately: %s", fast_error->message);
      if (!run_tool_checked (self, &user, "stop", TRUE, "pg_ctl", immediate, error))
        return FALSE;
    }

  drop_temp_socket_dir (self);
  return TRUE;
}

static gint64
count_other_clients (InstaSyncEmbeddedDb *self)
{
  g_autofree char *conninfo = make_conninfo (self->socket_dir, self->port, "postgres");
  PGconn *conn = PQconnectdb (conninfo);
  PGresult *result;
  gint64 count = 0;

  if (PQstatus (conn) != CONNECTION_OK)
    {
      PQfinish (conn);
      return 0;
    }

  result = PQexec (conn,
                   "SELECT count (*) FROM pg_stat_activity "
                   "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid ()");
  if (PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) == 1)
    count = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  else
    count = 1; /* unsure: leaving a server running is the harmless mistake */

  PQclear (result);
  PQfinish (conn);
  return count;
}

/* Stops the server unless a client that is not an InstaSyncEmbeddedDb (a
 * psql, a connection of a test) is on it. */
static gboolean
stop_if_unused (InstaSyncEmbeddedDb  *self,
                gboolean             *stopped,
                GError              **error)
{
  gint64 others;

  *stopped = FALSE;

  /* A backend outlives its client's disconnection by a moment, so a
   * connection our own process has just closed may still be listed: give
   * such leftovers half a second to go before deciding that someone else
   * is using the server. */
  others = count_other_clients (self);
  for (guint i = 0; others > 0 && i < 25; i++)
    {
      g_usleep (20 * 1000);
      others = count_other_clients (self);
    }
  if (others > 0)
    {
      g_debug ("Leaving the database server of %s running for %" G_GINT64_FORMAT
               " other clients", self->cluster_dir, others);
      return TRUE;
    }

  *stopped = TRUE;
  return stop_server (self, error);
}

/* Public API */

gboolean
instasync_embedded_db_start (InstaSyncEmbeddedDb  *self,
                             GError              **error)
{
  ServerUser user;
  gboolean ok;

  g_return_val_if_fail (INSTASYNC_IS_EMBEDDED_DB (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!get_server_user (&user, error) || !lock_cluster (self, error))
    return FALSE;

  ok = hold_in_use (self, error) && start_locked (self, &user, error);
  if (!ok)
    release_in_use (self);
  unlock_cluster (self);

  return ok;
}

gboolean
instasync_embedded_db_stop (InstaSyncEmbeddedDb  *self,
                            GError              **error)
{
  g_auto(PidFile) pid_file = { 0, };
  gboolean stopped = TRUE;
  gboolean ok = TRUE;

  g_return_val_if_fail (INSTASYNC_IS_EMBEDDED_DB (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Not started, or stopped already. */
  if (self->in_use_fd < 0)
    return TRUE;

  /* Under the cluster lock nobody can start using the server between our
   * look at the in-use lock and the stop. */
  if (!lock_cluster (self, error))
    return FALSE;

  if (!is_last_user (self))
    g_debug ("Leaving the database server of %s running for its other users",
             self->cluster_dir);
  else if (server_running (self, &pid_file))
    ok = stop_if_unused (self, &stopped, error);
  else
    drop_temp_socket_dir (self);

  /* Left running for a client of someone else's: we are still its last
   * InstaSync user, and a later stop of ours tries again. */
  if (ok && !stopped)
    ok = hold_in_use (self, error);
  else
    release_in_use (self);
  unlock_cluster (self);
  return ok;
}

gboolean
instasync_embedded_db_stop_force (InstaSyncEmbeddedDb  *self,
                                  GError              **error)
{
  g_auto(PidFile) pid_file = { 0, };
  gboolean ok = TRUE;

  g_return_val_if_fail (INSTASYNC_IS_EMBEDDED_DB (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lock_cluster (self, error))
    return FALSE;

  if (server_running (self, &pid_file))
    ok = stop_server (self, error);
  else
    drop_temp_socket_dir (self);

  release_in_use (self);
  unlock_cluster (self);
  return ok;
}

void
instasync_embedded_db_set_throwaway (InstaSyncEmbeddedDb *self,
                                     gboolean             throwaway)
{
  g_return_if_fail (INSTASYNC_IS_EMBEDDED_DB (self));

  self->throwaway = !!throwaway;
}

gboolean
instasync_embedded_db_is_running (InstaSyncEmbeddedDb *self)
{
  g_auto(PidFile) pid_file = { 0, };

  g_return_val_if_fail (INSTASYNC_IS_EMBEDDED_DB (self), FALSE);

  return server_running (self, &pid_file);
}

const char *
instasync_embedded_db_get_cluster_dir (InstaSyncEmbeddedDb *self)
{
  g_return_val_if_fail (INSTASYNC_IS_EMBEDDED_DB (self), NULL);

  return self->cluster_dir;
}
