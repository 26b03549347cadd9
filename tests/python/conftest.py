# SPDX-License-Identifier: MIT
"""The pgt module's tests: fixtures that build inputs with pgtctl and the
suite's tools, and --tap, which reports to prove in TAP (tests/run.sh)."""
import json
import os
import subprocess
import sys

import pytest

TOP = os.environ.get("PGTCTL_TOP") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PGTCTL = os.environ.get("PGTCTL") or os.path.join(TOP, "build", "opt", "pgtctl")
SAMPLES = os.path.join(TOP, "samples")
TOOLS = os.path.join(TOP, "tests", "tools")


def pytest_addoption(parser):
    parser.addoption("--tap", type=int, metavar="FD", help="report in TAP, for prove, on FD")


def pytest_configure(config):
    if config.getoption("tap") is not None:
        config.pluginmanager.register(Tap(config.getoption("tap")), "pgt-tap")


class Tap:
    """One TAP line per test, written when its teardown is done: "not ok"
    for a failure in any phase, and for a skip (the suite skips nothing).
    On a descriptor of its own: pytest's own report goes elsewhere."""

    def __init__(self, fd):
        self.out = os.fdopen(fd, "w", buffering=1)
        self.n = 0
        self.failed = {}

    def emit(self, ok, name, details=""):
        self.n += 1
        print(f"{'ok' if ok else 'not ok'} {self.n} - {name}", file=self.out)
        for line in details.splitlines():
            print(f"#   {line}", file=self.out)

    def pytest_collectreport(self, report):
        if report.failed:
            self.emit(False, f"collect {report.nodeid}", str(report.longrepr))

    def pytest_runtest_logreport(self, report):
        if report.failed or report.skipped:
            what = "skipped" if report.skipped else f"failed in {report.when}"
            self.failed.setdefault(report.nodeid, f"{what}:\n{report.longrepr}")
        if report.when == "teardown":
            why = self.failed.pop(report.nodeid, None)
            self.emit(why is None, report.nodeid, why or "")

    def pytest_sessionfinish(self, session):
        print(f"1..{self.n}", file=self.out)


def run(*args, check=True, stdin=None):
    """A command's CompletedProcess, its output as text."""
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True, input=stdin)
    if check and p.returncode not in (0, 1):
        raise AssertionError(f"{args} exited {p.returncode}: {p.stderr}")
    return p


def pgtctl(*args, check=True):
    return run(PGTCTL, *args, check=check)


def pgtctl_json(*args):
    """pgtctl's --json output, parsed."""
    return json.loads(pgtctl("--json", *args).stdout)


def tool(name, *args):
    return run(sys.executable, os.path.join(TOOLS, name), *args)


@pytest.fixture
def samples():
    return SAMPLES


@pytest.fixture
def image(tmp_path):
    """smmuv3-s1-4k.yaml built at 0x48000000 (as t0165 places it): the spec,
    the IMAGE, its raw memory and the IOVAs it maps and does not."""
    spec = tmp_path / "s1.yaml"
    with open(os.path.join(SAMPLES, "smmuv3-s1-4k.yaml")) as f:
        spec.write_text(f.read().replace("base: 0x80000000", "base: 0x48000000"))
    img = tmp_path / "s1.img"
    raw = tmp_path / "s1.raw"
    pgtctl("build", spec, "-o", img)
    pgtctl("emit", img, "-o", raw, "--raw")
    return {"spec": spec, "img": img, "raw": raw, "base": 0x48000000, "root": 0x48000000,
            "format": "arm-64-lpae-s1",
            "iovas": [0x8000000, 0x10000000, 0x10201234, 0x20003000, 0x40000000, 0x7f0000000]}
