# SPDX-License-Identifier: MIT
"""The examples of python/README.md and of README.md's Python section are
run as they are written, from the repository's top (they use samples/)."""
import doctest
import os

import pgt
from conftest import TOP


def test_readme_examples(monkeypatch):
    monkeypatch.chdir(TOP)
    for readme, examples in (("python/README.md", 20), ("README.md", 4)):
        result = doctest.testfile(os.path.join(TOP, readme), module_relative=False,
                                  globs={"pgt": pgt}, raise_on_error=False, verbose=False,
                                  report=True)
        assert result.failed == 0 and result.attempted >= examples, readme


def test_docstrings():
    """Every function and method a user calls says what it does."""
    for obj in (pgt, pgt.Memory, pgt.Table, pgt.Iommu, pgt.Device):
        for name in dir(obj):
            member = getattr(obj, name)
            if not name.startswith("_") and callable(member):
                assert member.__doc__, f"{obj.__name__}.{name} has no docstring"
