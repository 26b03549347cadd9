# SPDX-License-Identifier: MIT
# pgtctl: build the engine library and the tool, test, benchmark, install.
#
#   make            build ./pgtctl
#   make demo       install missing build dependencies, build, run a sample
#   make check      install missing dependencies, build, run every test;
#                   the last line is the verdict
#   make check SANITIZE=1   the same under ASan and UBSan
#   make bench      timings: the engine, pgtctl against the kernel's own code, dumps
#   make fuzz       every libFuzzer target for FUZZ_SECONDS each (60)
#   make python     the pgt module for Python, in $(BUILD)/python
#   make install    PREFIX=/usr/local DESTDIR=  (make uninstall: the same)
#   make abi-check  libpgt.so's ABI against abi/libpgt.abi (make abi-update)
#   make deb        the Debian packages, built, linted and tried in build/deb

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR ?= $(PREFIX)/share/man
# Completions go where each shell looks under PREFIX: bash-completion
# searches $XDG_DATA_DIRS (/usr/local/share:/usr/share) and ~/.local/share;
# Debian's zsh has /usr/share/zsh/vendor-completions for packages and
# /usr/local/share/zsh/site-functions for local installs in its fpath; fish
# reads vendor_completions.d in /usr/share, ~/.local/share and $XDG_DATA_DIRS.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/$(if $(filter /usr,$(PREFIX)),vendor-completions,site-functions)
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

CC ?= cc
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
VERSION := 0.2.0
# libpgt.so's soname; the ABI it promises is abi/libpgt.abi (make abi-check)
LIB_SONAME := libpgt.so.0
LIB_VERSION := 0.2.0
# Position-independent for libpgt.so, which exports only what the public
# headers mark PGT_EXPORT (and src/libpgt.sym lists)
override CFLAGS += -DPGTCTL_VERSION=\"$(VERSION)\" -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -Isrc -MMD -MP \
	-fPIC -fvisibility=hidden
# libelf, libyaml and the kdump codecs are loaded on first use (src/util/dl.h)
LIB_LDLIBS := -pthread
CLI_LDLIBS := -lreadline
# the tests' own tools write ELF files and compressed kdumps themselves
TEST_LDLIBS := -lelf -lz -llzo2 -lsnappy -lzstd
LDLIBS := $(LIB_LDLIBS) $(CLI_LDLIBS)

# FUZZ=1 (with CC=clang): the SANITIZE=1 build instrumented for libFuzzer,
# in build/fuzz
ifeq ($(FUZZ),1)
BUILD ?= build/fuzz
SANITIZE := 1
override CFLAGS += -fsanitize=fuzzer-no-link
endif
ifeq ($(SANITIZE),1)
BUILD ?= build/san
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
override CFLAGS += -O1 $(SAN)
LDFLAGS += $(SAN)
else
BUILD ?= build/opt
endif

LIB_SRC := $(wildcard src/util/*.c src/mem/*.c src/engine/*.c src/spec/*.c src/image/*.c src/diff/*.c \
	src/fault/*.c src/iommu/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
# library code the command line links its own copy of (libpgt.so hides it)
SHARED_SRC := src/util/join.c
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o) $(SHARED_SRC:%.c=$(BUILD)/%.o)
# The static archive is for the white-box tests, which reach inside
LIB := $(BUILD)/libpgt.a
SO := $(BUILD)/libpgt.so.$(LIB_VERSION)

UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_BIN := $(UNIT_SRC:%.c=$(BUILD)/%)
TOOL_SRC := tests/random/random_ops.c tests/bench/bench.c tests/tools/mkkdump.c
TOOL_BIN := $(TOOL_SRC:%.c=$(BUILD)/%)
# LD_PRELOAD'ed into pgtctl by tests: never sanitized (ASan's runtime must
# come first in a sanitized process; the shim only forwards calls)
SHIM := $(BUILD)/tests/tools/fsshim.so
# Fuzz targets (tests/fuzz/fuzz_NAME.c): NAME list, and each linked with
# replay.c instead of libFuzzer, so that make test replays their inputs.
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BIN := $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/replay_%)
# The command line without main(), for the REPL's fuzz target.
CLI_LIB := $(BUILD)/libpgtcli.a

all: pgtctl

# ./pgtctl, the copy to run from the tree, is the optimised build's alone:
# a sanitized (or fuzzing) build stays in its build directory
ifeq ($(SANITIZE),1)
pgtctl: $(BUILD)/pgtctl
.PHONY: pgtctl
else
pgtctl: $(BUILD)/pgtctl
	cp $< $@
endif

# The tool links libpgt.so, so the command line uses what the library
# exports and nothing else; in the tree it finds the library in $(BUILD)
# (make install links it again without that run path).
$(BUILD)/pgtctl: $(CLI_OBJ) $(SO)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) -L$(BUILD) -lpgt -Wl,-rpath,$(abspath $(BUILD)) $(CLI_LDLIBS)

$(BUILD)/install/pgtctl: $(CLI_OBJ) $(SO)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) -L$(BUILD) -lpgt $(CLI_LDLIBS)

# -z defs: every symbol resolved at link time (a sanitizer's runtime is
# the executable's, so not there)
$(SO): $(LIB_OBJ) src/libpgt.sym
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(LIB_SONAME) -Wl,--version-script=src/libpgt.sym \
		$(if $(SAN),,-Wl,-z,defs) -o $@ $(LIB_OBJ) $(LIB_LDLIBS)
	ln -sfn $(notdir $@) $(BUILD)/$(LIB_SONAME)
	ln -sfn $(LIB_SONAME) $(BUILD)/libpgt.so

lib: $(SO)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(CLI_LIB): $(filter-out $(BUILD)/src/cli/main.o,$(CLI_OBJ))
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/tests/%: tests/%.c $(LIB) tests/unit/harness.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS) $(TEST_LDLIBS)

# --- dependencies ---------------------------------------------------------
DEB_BUILD := gcc make pkg-config libyaml-dev libelf-dev libreadline-dev zlib1g-dev liblzo2-dev \
	libsnappy-dev libzstd-dev python3-dev python3-setuptools
DEB_FUZZ := clang libclang-rt-dev
DEB_CHECK := $(DEB_FUZZ) perl python3 binutils xz-utils man-db groff-base bash-completion zsh fish tmux \
	valgrind qemu-system-arm qemu-system-x86 makedumpfile abigail-tools python3-pytest python3-drgn \
	gcc-riscv64-linux-gnu
# what make deb builds the Debian packages and checks them with
DEB_PKG := build-essential debhelper dh-python python3-all-dev lintian

deps:
	@sh tests/deps.sh $(DEB_BUILD)

check-deps:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_CHECK) $(DEB_PKG)

# --- tests ----------------------------------------------------------------
# ./pgtctl is the optimised build; a sanitized one stays in its build dir
# (make pgtctl SANITIZE=1 builds it there and copies nothing)
TOP_BIN := $(if $(filter 1,$(SANITIZE)),$(BUILD)/pgtctl,pgtctl)
tests-bin: $(TOP_BIN) $(UNIT_BIN) $(TOOL_BIN) $(SHIM) $(REPLAY_BIN) python

$(SHIM): tests/tools/fsshim.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g $(WARN) -fPIC -shared -o $@ $< -ldl

# The kernel oracles compile Linux 6.12's and Linux 7.3's io-pgtable code,
# Linux 7.3's generic_pt formats and both kernels' VT-d and RISC-V fault
# reporting (fetched once into build/kernel with apt-get download) and
# check libpgt against each.
# (The kernel's MAIR computation shifts 0xf4 into an int's sign bit: its
# UB, not ours, so that one check is off for the oracle build only.) -O2 as
# the kernel builds it: make bench times the same objects, io-pgtable's
# and generic_pt's.
# The scripts make libpgt.a with $(MAKE), which passes them the jobserver.
kernel-oracle: $(LIB)
	@CC="$(CC)" CFLAGS="$(if $(SAN),-O1,-O2) -g $(SAN) $(if $(SAN),-fno-sanitize=shift-base)" \
		LDFLAGS="$(LDFLAGS)" MAKE="$(MAKE)" sh tests/kernel/build.sh build/kernel $(BUILD)
	@CC="$(CC)" CFLAGS="$(if $(SAN),-O1,-O2) -g $(SAN)" LDFLAGS="$(LDFLAGS)" MAKE="$(MAKE)" \
		sh tests/kernel/genpt/build.sh build/kernel $(BUILD)
	@CC="$(CC)" CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(LDFLAGS)" MAKE="$(MAKE)" \
		sh tests/kernel/faults/build.sh build/kernel $(BUILD)

# The guest tests boot Debian's kernels in QEMU behind an IOMMU (fetched
# once into build/guest with apt-get download): Linux 6.12 and 7.3 on x86_64
# behind AMD-Vi and VT-d, whose userland is tests/guest/init.c alone
# (static, never sanitized: it runs in the guest); the arm64 installer's
# Linux behind SMMUv3, whose initrd keeps its busybox and gets
# tests/guest/init.sh; Linux 7 on riscv64 behind the RISC-V IOMMU, with
# Debian's riscv64 busybox, the same init.sh and a test module of ours,
# built against that kernel's headers with Debian 12's cross compiler
# (tests/guest/rvdomain: a paging domain for the NIC). QEMU 10 for the RISC-V
# IOMMU and VT-d's first stage is unpacked there too.
GUEST := build/guest
guest: $(GUEST)/initramfs.cpio $(GUEST)/arm64/initramfs.cpio $(GUEST)/x86_64-7.3/initramfs.cpio \
	$(GUEST)/riscv64/initramfs.cpio $(GUEST)/qemu/version
$(GUEST)/vmlinuz $(GUEST)/e1000.ko $(GUEST)/qemu_fw_cfg.ko $(GUEST)/arm64/linux \
		$(GUEST)/arm64/initrd.gz $(GUEST)/x86_64-7.3/vmlinuz $(GUEST)/x86_64-7.3/e1000.ko \
		$(GUEST)/x86_64-7.3/qemu_fw_cfg.ko $(GUEST)/riscv64/Image \
		$(GUEST)/riscv64/e1000.ko $(GUEST)/riscv64/busybox $(GUEST)/riscv64/kbuild/version \
		$(GUEST)/qemu/version &:
	@sh tests/guest/fetch.sh $(GUEST)
$(GUEST)/init: tests/guest/init.c
	@mkdir -p $(GUEST)
	gcc -static -O2 -Wall -Wextra -o $@ $<
$(GUEST)/initramfs.cpio: $(GUEST)/init $(GUEST)/e1000.ko $(GUEST)/qemu_fw_cfg.ko \
		tests/guest/mkinitramfs.py
	python3 tests/guest/mkinitramfs.py $@ $(GUEST)/init $(GUEST)/e1000.ko $(GUEST)/qemu_fw_cfg.ko
$(GUEST)/x86_64-7.3/initramfs.cpio: $(GUEST)/init $(GUEST)/x86_64-7.3/e1000.ko \
		$(GUEST)/x86_64-7.3/qemu_fw_cfg.ko tests/guest/mkinitramfs.py
	python3 tests/guest/mkinitramfs.py $@ $(GUEST)/init $(GUEST)/x86_64-7.3/e1000.ko \
		$(GUEST)/x86_64-7.3/qemu_fw_cfg.ko
$(GUEST)/arm64/initramfs.cpio: $(GUEST)/arm64/initrd.gz tests/guest/init.sh \
		tests/guest/mkinitramfs.py
	python3 tests/guest/mkinitramfs.py --base $(GUEST)/arm64/initrd.gz $@ \
		init=tests/guest/init.sh
# (the test module rvdomain.ko when it built; t0169 reports a failed build
# from its log)
$(GUEST)/riscv64/rvdomain.log: tests/guest/rvdomain/rvdomain.c tests/guest/rvdomain/Kbuild \
		tests/guest/rvdomain/build.sh $(GUEST)/riscv64/kbuild/version
	@sh tests/guest/rvdomain/build.sh $(GUEST)/riscv64
$(GUEST)/riscv64/initramfs.cpio: $(GUEST)/riscv64/busybox $(GUEST)/riscv64/e1000.ko \
		$(GUEST)/riscv64/rvdomain.log tests/guest/init.sh tests/guest/mkinitramfs.py
	python3 tests/guest/mkinitramfs.py $@ init=tests/guest/init.sh \
		bin/busybox=$(GUEST)/riscv64/busybox $(GUEST)/riscv64/e1000.ko \
		$$(test -f $(GUEST)/riscv64/rvdomain.ko && echo $(GUEST)/riscv64/rvdomain.ko)

# The drgn test boots the 6.12 and 7.3 x86_64 guests and the arm64 one with
# QEMU's vmcoreinfo device (their qemu_fw_cfg module gives QEMU the
# kernel's VMCOREINFO, which QEMU's dumps then carry) and reads their dumps
# with drgn and each kernel's debug info (vmlinux of its linux-image-*-dbg),
# fetched once into build/guest-dbg; the arm64 installer's initrd gets its
# kernel's qemu_fw_cfg there too.
GUEST_DBG := build/guest-dbg
guest-dbg: $(GUEST_DBG)/x86_64-6.12/vmlinux $(GUEST_DBG)/x86_64-7.3/vmlinux \
	$(GUEST_DBG)/arm64/vmlinux $(GUEST_DBG)/arm64/initramfs.cpio
$(GUEST_DBG)/x86_64-6.12/vmlinux: $(GUEST)/vmlinuz
	@sh tests/guest/fetch-dbg.sh $(GUEST) $(GUEST_DBG)/x86_64-6.12
$(GUEST_DBG)/x86_64-7.3/vmlinux: $(GUEST)/x86_64-7.3/vmlinuz
	@sh tests/guest/fetch-dbg.sh $(GUEST)/x86_64-7.3 $(GUEST_DBG)/x86_64-7.3
$(GUEST_DBG)/arm64/vmlinux $(GUEST_DBG)/arm64/qemu_fw_cfg.ko &: $(GUEST)/arm64/linux
	@sh tests/guest/fetch-dbg.sh $(GUEST)/arm64 $(GUEST_DBG)/arm64
$(GUEST_DBG)/arm64/initramfs.cpio: $(GUEST)/arm64/initrd.gz tests/guest/init.sh \
		$(GUEST_DBG)/arm64/qemu_fw_cfg.ko tests/guest/mkinitramfs.py
	python3 tests/guest/mkinitramfs.py --base $(GUEST)/arm64/initrd.gz $@ \
		init=tests/guest/init.sh $(GUEST_DBG)/arm64/qemu_fw_cfg.ko

# make test: the suite once; make check: set-up, the suite plain and under
# ASan+UBSan, part of it under valgrind, a warning-free build with gcc and
# clang, and a few seconds of each fuzz target: every stage runs, and the
# last line says how many passed.
test: tests-bin kernel-oracle guest guest-dbg
	@BUILD=$(BUILD) sh tests/run.sh

# The suite less what needs QEMU or a download (the kernel oracle's sources,
# the guests' kernels): what the Debian package's build runs
test-offline: tests-bin
	@BUILD=$(BUILD) OFFLINE=1 sh tests/run.sh

check: check-deps
	@MAKE="$(MAKE) --no-print-directory" sh tests/check.sh test "test SANITIZE=1" valgrind warnings \
		abi-check "fuzz-run FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS)" deb

# A subset of the suite under valgrind memcheck, on the optimised build.
valgrind: tests-bin
	@BUILD=$(BUILD) sh tests/valgrind.sh

warnings:
	@for cc in gcc clang; do \
		echo "warnings: $$cc -Wall -Wextra -Werror"; \
		$(MAKE) --no-print-directory -s CC=$$cc BUILD=build/w-$$cc CFLAGS="-O2 -Werror" \
			PY_CFLAGS=-Werror build/w-$$cc/pgtctl tests-bin-only || exit 1; \
	done

tests-bin-only: $(UNIT_BIN) $(TOOL_BIN) $(REPLAY_BIN) python

# --- fuzzing --------------------------------------------------------------
# make fuzz: build every target with clang's libFuzzer, ASan and UBSan in
# build/fuzz and run each for FUZZ_SECONDS; a crash, leak or timeout fails.
# make check runs each for FUZZ_CHECK_SECONDS.
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 5

$(BUILD)/tests/fuzz/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o \
		$(CLI_LIB) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(CLI_LIB) $(LIB)
	$(CC) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(LDLIBS)

.SECONDARY: $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/fuzz_%.o) $(BUILD)/tests/fuzz/replay.o

fuzz-deps:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_FUZZ)

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory fuzz-run

fuzz-run:
	@$(MAKE) --no-print-directory FUZZ=1 CC=clang $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	@sh tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# --- benchmark ------------------------------------------------------------
# make bench: the engine's hot paths in-process (tests/bench/bench.c), then
# whole pgtctl commands against a program doing the same work with the
# kernel's own code, the oracle's objects (tests/bench/versus.c), in
# BENCH_DIR: memory, so that what is timed is the work and not a disk's
# flush (pgtctl fsyncs what it writes, the kernel's program does not);
# then scan and translate in 64 GiB sparse dumps against their goals
# (tests/bench/dumpscale.sh).
BENCH_DIR ?= $(if $(wildcard /dev/shm),/dev/shm,/tmp)
# (the 6.12 oracle: tests/kernel/build.sh builds each kernel's in its own
# directory; the generic_pt one, with 6.12's AMD v2, tests/kernel/genpt:
# its objects are named in the link only, as their test program stands for
# them, so that no rule of this Makefile ever compiles them)
ORACLE_OBJ = $(wildcard $(BUILD)/tests/kernel/linux-6.12/oracle*.o) $(BUILD)/tests/kernel/kshim.o
GPT_OBJ = $(patsubst %,$(BUILD)/tests/kernel/genpt/%.o,gpt_unit_amdv1 gpt_unit_x86_64 \
	gpt_unit_vtdss gpt_unit_riscv64 gpt_shim gpt_oracle amdv2_unit)

$(BUILD)/tests/bench/versus: tests/bench/versus.c tests/kernel/oracle.h tests/kernel/genpt/gpt_oracle.h \
		$(ORACLE_OBJ) $(BUILD)/tests/kernel/t_kernel_genpt
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/kernel -Itests/kernel/genpt -o $@ $< $(ORACLE_OBJ) $(GPT_OBJ) $(LDFLAGS)

bench: deps
	@$(MAKE) --no-print-directory $(TOP_BIN) $(BUILD)/tests/bench/bench
	@$(MAKE) --no-print-directory kernel-oracle >$(BUILD)/kernel-oracle.log 2>&1 || \
		{ cat $(BUILD)/kernel-oracle.log; exit 1; }
	@$(MAKE) --no-print-directory $(BUILD)/tests/bench/versus
	@$(BUILD)/tests/bench/bench
	@TMPDIR=$(BENCH_DIR) $(BUILD)/tests/bench/versus $(TOP_BIN)
	@sh tests/bench/dumpscale.sh $(BUILD)/pgtctl

# --- Python -----------------------------------------------------------------
# The pgt module (python/): its setup.py builds the C extension against
# include/ and $(BUILD)'s libpgt.so, here as a Debian package builds it
# with pybuild. Debian's python3, whose python3-dev and python3-pytest the
# DEB_* lists install (not whatever python3 comes first in PATH).
PYTHON ?= /usr/bin/python3
PY_BUILD := $(BUILD)/python
PY_DRGN := $(notdir $(wildcard python/pgt/drgn/*.py))
PY_SRC := python/setup.py $(wildcard python/src/*.c python/src/*.h python/pgt/*.py) \
	$(PY_DRGN:%=python/pgt/drgn/%)
PY_CFLAGS ?= $(if $(SAN),-O1 $(SAN))

python: $(PY_BUILD)/.built

$(PY_BUILD)/.built: $(PY_SRC) $(SO)
	cd python && CC="$(CC)" CFLAGS="$(PY_CFLAGS)" LDFLAGS="$(LDFLAGS)" PGT_LIBDIR=$(abspath $(BUILD)) \
		$(PYTHON) setup.py -q build_py --build-lib $(abspath $(PY_BUILD)) \
		build_ext --build-lib $(abspath $(PY_BUILD)) --build-temp $(abspath $(BUILD))/python-obj
	touch $@

# --- demo: the main job on a bundled sample -------------------------------
# (demo-run alone runs DEMO_PGTCTL, for the suite to run the demo's commands)
DEMO_PGTCTL ?= ./pgtctl
DEMO_DIR ?= build/demo
demo: deps
	@$(MAKE) --no-print-directory pgtctl
	@$(MAKE) --no-print-directory demo-run

demo-run:
	@sh samples/demo.sh "$(DEMO_PGTCTL)" "$(DEMO_DIR)"

# What make install puts where, as DESTDIR-less paths: make uninstall
# removes exactly these, and the directory of the headers if it is empty.
HEADERS := $(wildcard include/pgt/*.h)
MAN3 := $(wildcard man/*.3)
INSTALLED := $(BINDIR)/pgtctl $(LIBDIR)/libpgt.so.$(LIB_VERSION) $(LIBDIR)/$(LIB_SONAME) \
	$(LIBDIR)/libpgt.so $(HEADERS:include/%=$(INCLUDEDIR)/%) $(PKGCONFIGDIR)/libpgt.pc \
	$(MANDIR)/man1/pgtctl.1 $(MANDIR)/man5/pgtctl-spec.5 $(MAN3:man/%=$(MANDIR)/man3/%) \
	$(BASHCOMPDIR)/pgtctl $(ZSHCOMPDIR)/_pgtctl $(FISHCOMPDIR)/pgtctl.fish

# The Python module, where Debian's python3 finds modules under PREFIX: a
# package's in /usr/lib/python3/dist-packages, a local install's in
# /usr/local/lib/python3.N/dist-packages (asked of python3 when used)
PY_VERSION = $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
PYTHONDIR ?= $(if $(filter /usr,$(PREFIX)),$(PREFIX)/lib/python3/dist-packages,$(PREFIX)/lib/python$(PY_VERSION)/dist-packages)
PY_EXT = _pgt$(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
PY_INSTALLED = $(addprefix $(PYTHONDIR)/pgt/,__init__.py _types.py $(PY_EXT)) \
	$(PY_DRGN:%=$(PYTHONDIR)/pgt/drgn/%) $(MANDIR)/man1/pgt-drgn.1

# libdir and includedir relative to prefix where they are under it, so that
# pkg-config --define-prefix finds a tree installed with DESTDIR; made at
# every install, since it holds the paths of this one
$(BUILD)/libpgt.pc: src/libpgt.pc.in Makefile
	@mkdir -p $(dir $@)
	sed -e 's|@prefix@|$(PREFIX)|' \
		-e 's|@libdir@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(LIBDIR))|' \
		-e 's|@includedir@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))|' \
		-e 's|@VERSION@|$(LIB_VERSION)|' $< > $@

# The tool make install installs: linked again without the build tree's
# run path (a test installs the binary it tests instead)
INSTALL_PGTCTL ?= $(BUILD)/install/pgtctl

install: install-tool install-lib install-python

install-tool: $(INSTALL_PGTCTL)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 $(INSTALL_PGTCTL) $(DESTDIR)$(BINDIR)/pgtctl
	install -m 644 man/pgtctl.1 $(DESTDIR)$(MANDIR)/man1/pgtctl.1
	install -m 644 man/pgtctl-spec.5 $(DESTDIR)$(MANDIR)/man5/pgtctl-spec.5
	install -m 644 completions/pgtctl.bash $(DESTDIR)$(BASHCOMPDIR)/pgtctl
	install -m 644 completions/_pgtctl $(DESTDIR)$(ZSHCOMPDIR)/_pgtctl
	install -m 644 completions/pgtctl.fish $(DESTDIR)$(FISHCOMPDIR)/pgtctl.fish

install-lib: $(SO) $(BUILD)/libpgt.pc
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/pgt $(DESTDIR)$(PKGCONFIGDIR) \
		$(DESTDIR)$(MANDIR)/man3
	install -m 755 $(SO) $(DESTDIR)$(LIBDIR)/libpgt.so.$(LIB_VERSION)
	ln -sfn libpgt.so.$(LIB_VERSION) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	ln -sfn $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libpgt.so
	install -m 644 $(HEADERS) $(DESTDIR)$(INCLUDEDIR)/pgt
	install -m 644 $(BUILD)/libpgt.pc $(DESTDIR)$(PKGCONFIGDIR)/libpgt.pc
	install -m 644 $(MAN3) $(DESTDIR)$(MANDIR)/man3

install-python: python
	install -d $(DESTDIR)$(PYTHONDIR)/pgt/drgn $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(addprefix $(PY_BUILD)/pgt/,__init__.py _types.py $(PY_EXT)) $(DESTDIR)$(PYTHONDIR)/pgt
	install -m 644 $(PY_DRGN:%=$(PY_BUILD)/pgt/drgn/%) $(DESTDIR)$(PYTHONDIR)/pgt/drgn
	install -m 644 man/pgt-drgn.1 $(DESTDIR)$(MANDIR)/man1/pgt-drgn.1

# (and the byte code python3 wrote beside the module, as py3clean removes it)
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED) $(PY_INSTALLED))
	rm -rf $(DESTDIR)$(PYTHONDIR)/pgt/__pycache__ $(DESTDIR)$(PYTHONDIR)/pgt/drgn/__pycache__
	-rmdir $(DESTDIR)$(PYTHONDIR)/pgt/drgn 2>/dev/null
	-rmdir $(DESTDIR)$(PYTHONDIR)/pgt 2>/dev/null
	-rmdir $(DESTDIR)$(INCLUDEDIR)/pgt 2>/dev/null

# --- Debian packages ------------------------------------------------------
# make deb: pgtctl, libpgt0, libpgt-dev and python3-pgt built by
# dpkg-buildpackage from a copy of the tree in build/deb (running make
# test-offline), checked by lintian, and used from a throwaway root there
deb:
	@sh tests/deb.sh build/deb

# --- ABI ------------------------------------------------------------------
# libpgt.so against the ABI it promised (abi/libpgt.abi, written by abidw
# from a build of the release). abidiff compares types, not only names: a
# changed record layout, parameter or enumerator fails here as a removed
# function does, where a symbols file (dpkg-gensymbols) sees names alone.
# The baseline keeps the public headers' types only (--drop-private-types):
# the objects behind opaque handles may change freely. Any difference fails,
# an added function too. An intended change: add new functions in a new
# version node of src/libpgt.sym (anything else needs a new soname), run
# make abi-update, and commit abi/libpgt.abi with the change (libpgt(3),
# ABI), and the new functions in debian/libpgt0.symbols (make deb).
ABI_BASELINE := abi/libpgt.abi
ABIDW_FLAGS := --no-show-locs --no-corpus-path --headers-dir include/pgt --drop-private-types

abi-check: $(SO)
	@abidiff $(ABI_BASELINE) $(SO) || \
		{ echo "abi-check: libpgt's ABI differs from $(ABI_BASELINE) (make abi-update for an intended change)" >&2; exit 1; }
	@echo "abi-check: libpgt's ABI is $(ABI_BASELINE)'s"

abi-update: $(SO)
	abidw $(ABIDW_FLAGS) --out-file $(ABI_BASELINE) $(SO)

clean:
	rm -rf build pgtctl

.PHONY: all deps check-deps check test test-offline valgrind warnings tests-bin tests-bin-only kernel-oracle guest guest-dbg \
	bench demo \
	python install-python \
	demo-run deb install install-tool install-lib $(BUILD)/libpgt.pc uninstall abi-check abi-update lib clean \
	fuzz fuzz-deps fuzz-run

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_BIN:=.d) $(TOOL_BIN:=.d) \
	$(wildcard $(BUILD)/tests/fuzz/*.d)
