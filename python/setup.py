# SPDX-License-Identifier: MIT
"""The pgt module: libpgt for Python (a C extension and a Python layer).

In the source tree the Makefile builds it (make python) against include/
and the libpgt.so it built, given as PGT_LIBDIR; a package builds it with
PGT_INCLUDEDIR and PGT_LIBDIR where libpgt's headers and library are, or
against the installed ones when neither is given.
"""
import os
import re

from setuptools import Extension, setup

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(here)


def version():
    """The Makefile's VERSION, the one version of everything pgtctl ships."""
    with open(os.path.join(top, "Makefile"), encoding="utf-8") as f:
        return re.search(r"^VERSION := (\S+)$", f.read(), re.M).group(1)


include = os.environ.get("PGT_INCLUDEDIR") or os.path.join(top, "include")
libdir = os.environ.get("PGT_LIBDIR")
os.chdir(here)

setup(
    name="pgt",
    version=version(),
    description="libpgt for Python: IOMMU page tables as the Linux kernel builds and reads them",
    license="MIT",
    packages=["pgt"],
    ext_modules=[
        Extension(
            "pgt._pgt",
            sources=sorted(os.path.join("src", f) for f in os.listdir("src") if f.endswith(".c")),
            depends=[os.path.join("src", "pgtmodule.h")],
            include_dirs=[include],
            library_dirs=[libdir] if libdir else [],
            libraries=["pgt"],
            extra_compile_args=["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Wshadow",
                                "-Wstrict-prototypes", "-Wmissing-prototypes",
                                # the C API fixes methods' signatures
                                "-Wno-unused-parameter"],
        )
    ],
)
