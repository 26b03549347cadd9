#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The error catalogue of pgtctl(1) (its DIAGNOSTICS section) and the error
messages of the sources, for the tests that keep the two in step.

  diagnostics.py match MAN KEY STATUS FILE...
      The message whose text contains KEY: is STATUS its exit status, and
      does one of FILEs (the command's stdout and stderr) show it?
  diagnostics.py triggers MAN TESTFILE...
      Every message of the catalogue is triggered by a 'diag' call of the
      tests, and every call names one message.
  diagnostics.py sources MAN SRCDIR MAPFILE
      Every error message in the sources is mapped to a catalogue message,
      and every line of the map to a message the sources still have.
  diagnostics.py list SRCDIR
      The error messages of the sources, one a line, with where they are.

A catalogue entry is a .TP paragraph whose tag is one message, written with
.B, .BI or .IB: bold words are literal, italic ones placeholders (numbers
for N, LINE, COLUMN and MAX, hex for ADDR, DESC, PFN and BITMAP, any text
for the others); '...' in bold stands for any text. More messages of the
same entry follow in .TQ lines. The entry's text starts "Exit status N."
"""
import os
import re
import sys

# --- the man page -------------------------------------------------------------

ESCAPES = [("\\-", "-"), ("\\(aq", "'"), ("\\(dq", '"'), ("\\(lq", '"'), ("\\(rq", '"'),
           ("\\e", "\\"), ("\\&", ""), ("\\ ", " "), ("\\~", " "), ("\\.", ".")]


def unescape(s):
    for a, b in ESCAPES:
        s = s.replace(a, b)
    return s


def roff_args(line):
    """The arguments of a macro line: blanks separate, double quotes group,
    and "" inside quotes is a quote."""
    args, i, n = [], 0, len(line)
    while i < n:
        while i < n and line[i] == " ":
            i += 1
        if i >= n:
            break
        if line[i] == '"':
            i += 1
            arg = ""
            while i < n:
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        arg += '"'
                        i += 2
                        continue
                    i += 1
                    break
                arg += line[i]
                i += 1
        else:
            j = i
            while j < n and line[j] != " ":
                j += 1
            arg = line[i:j]
            i = j
        args.append(unescape(arg))
    return args


# what a placeholder stands for, by its name; any other name is any text
PLACEHOLDERS = {"N": r"\d+", "LINE": r"\d+", "COLUMN": r"\d+", "MAX": r"\d+",
                "ADDR": r"0x[0-9a-f]+", "DESC": r"0x[0-9a-f]+", "PFN": r"0x[0-9a-f]+",
                "BITMAP": r"0x[0-9a-f]+"}


class Message:
    def __init__(self, parts, entry):
        self.parts = parts  # [(text, is_placeholder)]
        self.entry = entry
        self.text = "".join(t for t, _ in parts)
        rx = ""
        for t, ph in parts:
            if ph:
                rx += PLACEHOLDERS.get(t, ".+?")
            else:
                rx += ".*".join(re.escape(x) for x in t.split("..."))
        self.regex = re.compile(rx)


class Entry:
    def __init__(self, section):
        self.section = section
        self.messages = []
        self.status = None


def catalogue(man):
    """The entries of the DIAGNOSTICS section, in order."""
    lines = open(man).read().split("\n")
    entries, section, entry, want = [], None, None, None
    on = False
    for ln, line in enumerate(lines, 1):
        if line.startswith(".SH"):
            on = roff_args(line[3:]) == ["DIAGNOSTICS"]
            continue
        if not on:
            continue
        if line.startswith(".SS"):
            section = " ".join(roff_args(line[3:]))
        elif line.startswith(".TP") or line.startswith(".TQ"):
            if line.startswith(".TP"):
                entry = Entry(section)
                entries.append(entry)
            want = "tag"
        elif want == "tag":
            macro, _, rest = line.partition(" ")
            args = roff_args(rest)
            if macro == ".B":
                parts = [(" ".join(args), False)]
            elif macro in (".BI", ".IB"):
                first = macro == ".IB"
                parts = [(a, (k % 2 == 0) == first) for k, a in enumerate(args)]
            else:
                sys.exit("%s:%d: an entry's tag is .B, .BI or .IB, not %s" % (man, ln, macro))
            entry.messages.append(Message([p for p in parts if p[0]], entry))
            want = "status"
        elif want == "status":
            m = re.fullmatch(r"Exit status (\d)\.", line)
            if not m:
                sys.exit("%s:%d: an entry's text starts with 'Exit status N.'" % (man, ln))
            entry.status = int(m.group(1))
            want = None
    if not entries or want:
        sys.exit("%s: no DIAGNOSTICS entries, or the last one is cut short" % man)
    return entries


def messages(man):
    return [m for e in catalogue(man) for m in e.messages]


def find(msgs, key):
    """The one message whose text contains key (or is key)."""
    exact = [m for m in msgs if m.text == key]
    found = exact or [m for m in msgs if key in m.text]
    if len(found) != 1:
        return None, "%d catalogue messages contain %r%s" % (
            len(found), key, "".join("\n  " + m.text for m in found))
    return found[0], None


def cmd_match(man, key, status, files):
    m, why = find(messages(man), key)
    if not m:
        print(why)
        return 1
    seen = "".join(open(f, errors="replace").read() for f in files)
    bad = []
    if int(status) != m.entry.status:
        bad.append("exit status %s, the catalogue says %d" % (status, m.entry.status))
    if not m.regex.search(seen):
        bad.append("output does not show: %s" % m.text)
        bad.append("output: %s" % seen[:400].replace("\n", "|"))
    print("\n".join(bad))
    return 1 if bad else 0


DIAG_CALL = re.compile(r"^\s*diag\w*\s+(?:'([^']*)'|\"((?:[^\"\\]|\\.)*)\")")


def cmd_triggers(man, tests):
    msgs, bad = messages(man), []
    hit = set()
    for t in tests:
        for ln, line in enumerate(open(t), 1):
            if not re.match(r"^\s*diag\w*\s", line) or re.match(r"^\s*diag\w*\s*\(\)", line):
                continue
            m = DIAG_CALL.match(line)
            if not m:
                bad.append("%s:%d: a diag call names its message with a literal" % (t, ln))
                continue
            key = m.group(1) if m.group(1) is not None else re.sub(r"\\(.)", r"\1", m.group(2))
            if "$" in key:
                continue  # a wrapper passing on its caller's literal
            msg, why = find(msgs, key)
            if not msg:
                bad.append("%s:%d: %s" % (t, ln, why))
            else:
                hit.add(msg.text)
    for m in msgs:
        if m.text not in hit and not internal(m):
            bad.append("no test triggers: %s" % m.text)
    print("\n".join(bad))
    return 1 if bad else 0


def internal(m):
    """The internal-error entry: no input can produce it."""
    return m.text.startswith("internal error")


# --- the sources ----------------------------------------------------------------

# error-reporting calls and the index of their format argument
CALLS = {"pgt_fail": 2, "fail_at": 2, "fail_ev": 1, "fail_root": 2, "cli_usage": 0,
         "out_error": 0, "out_warning": 0, "cli_bad_option": 0,
         "page_fail": 3, "fail": 3, "index_fail": 5, "corrupt_page": 2, "corrupt_note": 1,
         "pgt_refuse_partial": 4, "problem": 6, "pgt_error_prefix": 1, "iommu_problem": 2,
         "pgt_decode_ps": 5}
C_STRING = r'"(?:[^"\\\n]|\\.)*"'


def c_calls(text, name):
    """(offset, [argument text]) of every call of name in text."""
    for m in re.finditer(r"\b%s\s*\(" % name, text):
        i, depth, args, cur = m.end(), 1, [], ""
        while i < len(text) and depth:
            ch = text[i]
            if ch == '"':
                s = re.match(C_STRING, text[i:])
                cur += s.group(0)
                i += s.end()
                continue
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
                if not depth:
                    break
            if ch == "," and depth == 1:
                args.append(cur)
                cur = ""
            else:
                cur += ch
            i += 1
        args.append(cur)
        # a definition or declaration, not a call
        before = text[:m.start()].rstrip()
        if re.search(r"(int|void|error_t|uint64_t|struct pgt_mem \*|\*)\s*$", before):
            continue
        yield m.start(), args


def literals(arg):
    """The strings an argument can be: adjacent literals joined, each
    alternative of a ?: on its own."""
    out = []
    for group in re.findall(r"(?:%s\s*)+" % C_STRING, arg):
        out.append("".join(s[1:-1] for s in re.findall(C_STRING, group)))
    return out


def words(s):
    """Does a format say something, beyond joining conversions?"""
    return re.search(r"[A-Za-z]{2}", re.sub(r"%[-#0-9.]*(?:ll|l|z|h)?[a-z]", "", s))


def source_messages(srcdir):
    """(file:line, message) of every error message in the C sources."""
    out = []
    for root, _, files in sorted(os.walk(srcdir)):
        for f in sorted(files):
            if not f.endswith(".c"):
                continue
            path = os.path.join(root, f)
            text = open(path).read()
            where = lambda off: "%s:%d" % (path, text.count("\n", 0, off) + 1)
            found = []
            for name, idx in CALLS.items():
                for off, args in c_calls(text, name):
                    if idx >= len(args):
                        continue
                    for k, a in enumerate(args[idx:]):
                        for s in literals(a):
                            # the format, and strings passed for its %s
                            if (k == 0 or " " in s) and words(s):
                                found.append((off, s))
            # descriptions of a walk's stop and of a command lookup
            for off, args in c_calls(text, "snprintf"):
                if "why" in args[0] and len(args) > 2:
                    for k, a in enumerate(args[2:]):
                        for s in literals(a):
                            if (k == 0 or " " in s) and words(s):
                                found.append((off, s))
            for off, args in c_calls(text, "fprintf"):
                if args[0].strip() == "stderr":
                    for s in literals(args[1]):
                        found.append((off, s))
            # what makes a descriptor malformed
            for m in re.finditer(r"->why\s*=\s*(%s)" % C_STRING, text):
                found.append((m.start(), m.group(1)[1:-1]))
            for fn in re.finditer(r"\n(?:static )?const char \*\w+_lint\([^)]*\)\n\{(.*?)\n\}", text, re.S):
                for m in re.finditer(r"return (%s);" % C_STRING, fn.group(1)):
                    found.append((fn.start(1) + m.start(), m.group(1)[1:-1]))
            for off, s in sorted(set(found)):
                out.append((where(off), s.strip()))
    return out


def read_map(path):
    rows = []
    for ln, line in enumerate(open(path), 1):
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, msg = line.rstrip("\n").partition(" | ")
        if not sep:
            sys.exit("%s:%d: not 'KEY | MESSAGE'" % (path, ln))
        rows.append((ln, key.strip(), msg.strip()))
    return rows


def cmd_sources(man, srcdir, mapfile):
    msgs, bad = messages(man), []
    rows = read_map(mapfile)
    mapped = {}
    for ln, key, msg in rows:
        if msg in mapped:
            bad.append("%s:%d: mapped twice: %s" % (mapfile, ln, msg))
        if key != "(prefix)":
            m, why = find(msgs, key)
            if not m:
                bad.append("%s:%d: %s" % (mapfile, ln, why))
        mapped[msg] = (ln, key)
    have = {}
    for where, s in source_messages(srcdir):
        have.setdefault(s, where)
    for s, where in have.items():
        if s not in mapped:
            bad.append("%s: not in the catalogue map: %s" % (where, s))
    for s, (ln, key) in mapped.items():
        if s not in have:
            bad.append("%s:%d: the sources no longer have: %s" % (mapfile, ln, s))
    print("\n".join(bad))
    return 1 if bad else 0


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "match":
        return cmd_match(args[0], args[1], args[2], args[3:])
    if cmd == "triggers":
        return cmd_triggers(args[0], args[1:])
    if cmd == "sources":
        return cmd_sources(args[0], args[1], args[2])
    if cmd == "list":
        for where, s in source_messages(args[0]):
            print("%s\t%s" % (where, s))
        return 0
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
