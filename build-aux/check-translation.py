#!/usr/bin/env python3
# Copyright 2026 Credify
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks that translations are valid and complete:
#
#   check-translation.py SOURCE_ROOT PO_FILE... [--xgettext PATH] [--msgfmt PATH]
#
# For each .po file, msgfmt --check must pass without an error, and every
# message of a template freshly extracted from po/POTFILES.in (with the
# arguments meson's i18n module uses for the 'glib' preset, into a temporary
# file; the source tree is left alone) must have a translation that is
# neither empty nor fuzzy. Prints TAP, one test per language.
import argparse
import os
import pathlib
import re
import subprocess
import sys
import tempfile

PACKAGE = 'instasync'

# What meson's i18n.gettext(preset: 'glib') passes to xgettext, in order.
GLIB_PRESET = [
    '--from-code=UTF-8',
    '--add-comments',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

ESCAPES = {'n': '\n', 't': '\t', 'r': '\r', '"': '"', '\\': '\\', 'a': '\a',
           'b': '\b', 'f': '\f', 'v': '\v'}


def unquote(text):
    """The value of one quoted PO string, "..." with C escapes."""
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError('not a quoted string: %s' % text)
    return re.sub(r'\\(.)', lambda m: ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


class Entry:
    def __init__(self):
        self.context = None
        self.msgid = None
        self.msgid_plural = None
        self.msgstr = {}          # 0 for msgstr, N for msgstr[N]
        self.flags = set()
        self.obsolete = False

    @property
    def key(self):
        return (self.context, self.msgid)


def parse_po(path):
    """The entries of a PO or POT file, the header included, in order."""
    entries = []
    entry = Entry()
    field = None

    def finish():
        nonlocal entry, field
        if entry.msgid is not None:
            entries.append(entry)
        entry = Entry()
        field = None

    for number, line in enumerate(pathlib.Path(path).read_text(encoding='utf-8').splitlines(), 1):
        line = line.strip()
        if not line:
            finish()
            continue
        if line.startswith('#~'):
            entry.obsolete = True
            line = line[2:].strip()
            if not line or line.startswith('|'):
                continue
        elif line.startswith('#,'):
            if entry.msgid is not None and field is not None and field[0] == 'msgstr':
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(','))
            continue
        elif line.startswith('#'):
            if entry.msgid is not None and field is not None and field[0] == 'msgstr':
                finish()
            continue

        try:
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
            if match:
                keyword, index, value = match.group(1), match.group(2), unquote(match.group(3))
                if keyword in ('msgctxt', 'msgid') and field is not None and field[0] == 'msgstr':
                    finish()
                if keyword == 'msgctxt':
                    entry.context = value
                    field = ('msgctxt',)
                elif keyword == 'msgid':
                    entry.msgid = value
                    field = ('msgid',)
                elif keyword == 'msgid_plural':
                    entry.msgid_plural = value
                    field = ('msgid_plural',)
                else:
                    n = int(index) if index is not None else 0
                    entry.msgstr[n] = value
                    field = ('msgstr', n)
            elif line.startswith('"') and field is not None:
                value = unquote(line)
                if field[0] == 'msgctxt':
                    entry.context += value
                elif field[0] == 'msgid':
                    entry.msgid += value
                elif field[0] == 'msgid_plural':
                    entry.msgid_plural += value
                else:
                    entry.msgstr[field[1]] += value
            else:
                raise ValueError('unexpected line')
        except ValueError as error:
            raise SystemExit('%s:%d: %s' % (path, number, error))
    finish()
    return entries


def extract_template(root, xgettext, directory):
    """Runs xgettext as meson's i18n module does; returns (pot path, warnings)."""
    pot = os.path.join(directory, PACKAGE + '.pot')
    command = [xgettext, '--package-name=' + PACKAGE, '-p', directory,
               '-f', str(root / 'po' / 'POTFILES.in'), '-D', str(root), '-k_',
               '-o', pot] + GLIB_PRESET
    run = subprocess.run(command, cwd=str(root), capture_output=True, text=True)
    if run.returncode != 0 or not os.path.exists(pot):
        raise SystemExit('xgettext failed:\n' + run.stderr)
    return pot, [line for line in run.stderr.splitlines() if line.strip()]


def describe(entry):
    text = entry.msgid if entry.context is None else '%s | %s' % (entry.context, entry.msgid)
    return text.replace('\\', '\\\\').replace('\n', '\\n')


def check_language(po, template, msgfmt):
    """Returns (ok, summary, problems) for one .po file."""
    language = pathlib.Path(po).stem
    problems = []

    if not os.path.exists(po):
        return False, '%s: %s does not exist' % (language, po), []

    run = subprocess.run([msgfmt, '--check', '--check-accelerators=_', '--statistics',
                          '-o', os.devnull, po], capture_output=True, text=True)
    statistics = ''
    for line in run.stderr.splitlines():
        if re.match(r'^\d+ translated message', line):
            statistics = line
        elif line.strip():
            problems.append(line if line.startswith('msgfmt') else 'msgfmt: ' + line)
    if run.returncode != 0:
        problems.append('msgfmt --check failed (exit status %d)' % run.returncode)

    translations = {entry.key: entry for entry in parse_po(po) if not entry.obsolete}
    header = translations.get((None, ''))
    if header is None:
        problems.append('no header entry')
    elif 'fuzzy' in header.flags:
        problems.append('the header is fuzzy')

    messages = [entry for entry in template if entry.msgid != '']
    missing = []
    for entry in messages:
        translation = translations.get(entry.key)
        if translation is None:
            missing.append('missing: ' + describe(entry))
        elif 'fuzzy' in translation.flags:
            missing.append('fuzzy: ' + describe(entry))
        elif (entry.msgid_plural is None) != (translation.msgid_plural is None):
            missing.append('singular/plural mismatch: ' + describe(entry))
        elif not translation.msgstr or any(value == '' for value in translation.msgstr.values()):
            missing.append('untranslated: ' + describe(entry))
    problems += missing

    if problems:
        summary = '%s: %d of %d messages not translated' % (language, len(missing), len(messages))
        if run.returncode != 0:
            summary += ', msgfmt --check failed'
        return False, summary, problems + ([statistics] if statistics else [])
    return True, '%s: %d messages, all translated' % (language, len(messages)), \
        [statistics] if statistics else []


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('source_root')
    parser.add_argument('po', nargs='+')
    parser.add_argument('--xgettext', default='xgettext')
    parser.add_argument('--msgfmt', default='msgfmt')
    options = parser.parse_args()

    root = pathlib.Path(options.source_root).resolve()
    with tempfile.TemporaryDirectory(prefix='instasync-pot-') as directory:
        pot, warnings = extract_template(root, options.xgettext, directory)
        template = parse_po(pot)

    print('1..%d' % len(options.po))
    for line in warnings:
        print('# xgettext: %s' % line)
    failed = 0
    for number, po in enumerate(options.po, 1):
        ok, summary, notes = check_language(po, template, options.msgfmt)
        if not ok:
            failed += 1
        print('%s %d - %s' % ('ok' if ok else 'not ok', number, summary))
        for note in notes:
            print('# %s' % note)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
