# SPDX-License-Identifier: MIT
"""make install puts the module where Debian's python3 looks under PREFIX,
and import pgt works from there on the installed libpgt.so alone; make
uninstall takes it away again (with the byte code python3 wrote)."""
import os
import re
import subprocess
import sys
import sysconfig

from conftest import PGTCTL, TOP, run


def make(*args):
    """make as a user runs it, not as the suite's make."""
    build = os.path.relpath(os.path.dirname(PGTCTL), TOP)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    san = ["SANITIZE=1"] if build.endswith("san") else []
    return subprocess.run(["make", "-s", "-C", TOP, f"BUILD={build}", *san, *args],
                          capture_output=True, text=True, env=env)


def test_install_import_uninstall(tmp_path, image):
    dest = tmp_path / "dest"
    prefix = "/usr/local"
    p = make("install", f"DESTDIR={dest}", f"PREFIX={prefix}")
    assert p.returncode == 0, p.stderr
    site = dest / f"usr/local/lib/python{sys.version_info[0]}.{sys.version_info[1]}/dist-packages"
    ext = "_pgt" + sysconfig.get_config_var("EXT_SUFFIX")
    assert sorted(os.listdir(site / "pgt")) == sorted(["__init__.py", "_types.py", ext, "drgn"])
    # the drgn helper: its modules as they are in the tree
    helper = sorted(f for f in os.listdir(os.path.join(TOP, "python", "pgt", "drgn"))
                    if f.endswith(".py"))
    assert sorted(os.listdir(site / "pgt" / "drgn")) == helper
    dynamic = run("readelf", "-d", site / "pgt" / ext).stdout
    assert "NEEDED" in dynamic and "[libpgt.so.0]" in dynamic
    assert "RUNPATH" not in dynamic and "RPATH" not in dynamic
    env = dict(os.environ, PYTHONPATH=str(site), LD_LIBRARY_PATH=str(dest / "usr/local/lib"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    script = ("import pgt, sys; t = pgt.open(sys.argv[1]); "
              "print(pgt.__file__, pgt._pgt.__file__, hex(t.translate(0x10000000).pa))")
    p = subprocess.run([sys.executable, "-c", script, str(image["img"])], env=env,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == [str(site / "pgt" / "__init__.py"), str(site / "pgt" / ext),
                                "0x880000000"]
    maps = subprocess.run(
        [sys.executable, "-c", "import pgt; print(open('/proc/self/maps').read())"],
        env=env, capture_output=True, text=True).stdout
    with open(os.path.join(TOP, "Makefile")) as makefile:
        version = re.search(r"^LIB_VERSION := (\S+)$", makefile.read(), re.M).group(1)
    assert str(dest / f"usr/local/lib/libpgt.so.{version}") in maps
    assert (site / "pgt" / "__pycache__").is_dir()
    p = make("uninstall", f"DESTDIR={dest}", f"PREFIX={prefix}")
    assert p.returncode == 0, p.stderr
    left = [os.path.join(d, f) for d, _, files in os.walk(dest) for f in files]
    assert left == [] and not (site / "pgt").exists()
