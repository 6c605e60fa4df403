#!/usr/bin/env python3
# Copyright 2026 Credify
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks po/POTFILES.in against the sources: every file with a translatable
# string is listed, every listed file exists, and the list is sorted.
# Prints TAP.
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else '.').resolve()
listed = [line.strip() for line in (root / 'po' / 'POTFILES.in').read_text().splitlines()
          if line.strip() and not line.startswith('#')]

marks = {
    '.c': re.compile(r'\b(?:_|N_|C_|NC_|ngettext|g_dngettext)\s*\('),
    '.ui': re.compile(r'translatable="yes"'),
}
needed = []
for path in sorted((root / 'app').rglob('*')):
    mark = marks.get(path.suffix)
    if mark and mark.search(path.read_text(errors='replace')):
        needed.append(str(path.relative_to(root)))

checks = [
    ('every file with translatable strings is listed',
     [f for f in needed if f not in listed]),
    ('every listed file exists',
     [f for f in listed if not (root / f).exists()]),
    ('the list is sorted', [] if listed == sorted(listed) else ['(not sorted)']),
]

print('1..%d' % len(checks))
failed = 0
for number, (name, problems) in enumerate(checks, 1):
    if problems:
        failed += 1
        print('not ok %d - %s' % (number, name))
        for problem in problems:
            print('# %s' % problem)
    else:
        print('ok %d - %s' % (number, name))
sys.exit(1 if failed else 0)
