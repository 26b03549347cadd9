#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""exports.py headers|sym FILE...: the functions libpgt exports, one a line,
sorted: those the public headers declare PGT_EXPORT (headers), or those a
version script lists (sym). t0300-libpgt.sh compares the two lists with
each other and with the library's dynamic symbols."""
import re
import sys


def from_headers(paths):
    names = set()
    for path in paths:
        text = re.sub(r'/\*.*?\*/', '', open(path).read(), flags=re.S)
        names.update(re.findall(r'PGT_EXPORT[^;(]*?\b(pgt_\w+)\s*\(', text))
    return names


def from_sym(paths):
    names = set()
    for path in paths:
        text = re.sub(r'/\*.*?\*/', '', open(path).read(), flags=re.S)
        for block in re.findall(r'global:(.*?)(?:local:|\})', text, flags=re.S):
            names.update(re.findall(r'\b(\w+)\s*;', block))
    return names


if __name__ == '__main__':
    if len(sys.argv) < 3 or sys.argv[1] not in ('headers', 'sym'):
        sys.exit('usage: exports.py headers|sym FILE...')
    get = from_headers if sys.argv[1] == 'headers' else from_sym
    for name in sorted(get(sys.argv[2:])):
        print(name)
