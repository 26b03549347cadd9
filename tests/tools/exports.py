#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""exports.py headers|sym|versions FILE...: the functions libpgt exports, one
a line, sorted: those the public headers declare PGT_EXPORT (headers), those
a version script lists (sym), or those with the node it lists them in, as nm
shows a default version (versions: name@@NODE). t0300-libpgt.sh compares the two lists with
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


def from_sym_versions(paths):
    names = set()
    for path in paths:
        text = re.sub(r'/\*.*?\*/', '', open(path).read(), flags=re.S)
        for node, block in re.findall(r'(\w[\w.]*)\s*\{\s*global:(.*?)(?:local:|\})', text,
                                      flags=re.S):
            names.update(n + '@@' + node for n in re.findall(r'\b(\w+)\s*;', block))
    return names


if __name__ == '__main__':
    ways = {'headers': from_headers, 'sym': from_sym, 'versions': from_sym_versions}
    if len(sys.argv) < 3 or sys.argv[1] not in ways:
        sys.exit('usage: exports.py headers|sym|versions FILE...')
    get = ways[sys.argv[1]]
    for name in sorted(get(sys.argv[2:])):
        print(name)
