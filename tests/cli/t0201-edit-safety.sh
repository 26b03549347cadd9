#!/bin/sh
# SPDX-License-Identifier: MIT
# Edits are safe as a user's tool must be: edits running at once take turns
# and none is lost; devices, FIFOs and standard output are written through,
# never replaced; a replaced file keeps its mode, owner, group and hard
# links or is refused; write permission is respected; temporary files never
# outlive their writer, also where the filesystem has no O_TMPFILE, and the
# clean-up removes nothing else; an IMAGE keeps what pgtctl does not write;
# a file size limit is an error, not a signal.
. "$(dirname "$0")/lib.sh"

SHIM="$(dirname "$PGTCTL")/tests/tools/fsshim.so"
[ -f "$SHIM" ] && ok "the filesystem shim is built" || not_ok "the filesystem shim is built" "$SHIM"
# pgtctl on a filesystem without O_TMPFILE (NFS, FUSE); a sanitized pgtctl
# must let the shim come before its runtime
shimmed() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" LD_PRELOAD="$SHIM" "$PGTCTL" "$@"
}
strays() { ls -A | grep '^\.' | tr '\n' ' '; }
mapped() { "$PGTCTL" translate "$1" "$2" 2>/dev/null | grep -q -- "-> 0x"; }
# start_stopped ARGS...: pgtctl ARGS with the shim in the background (its
# pid in $pid, its stderr in bg.err), once it has stopped itself before
# fsyncing its temporary file (at most 10 s)
start_stopped() {
	(
		export FSSHIM_STOP=fsync LD_PRELOAD="$SHIM" \
			ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
		exec "$PGTCTL" "$@"
	) >/dev/null 2>bg.err &
	pid=$!
	i=0
	while [ $i -lt 200 ] && [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$pid/stat" 2>/dev/null)" != T ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o base.img >/dev/null
cp base.img a.img

# --- 1. edits running at once take turns ---------------------------------
rounds=20 writers=4 lost=0 failed=0
r=0
while [ $r -lt $rounds ]; do
	cp base.img c.img
	i=1
	while [ $i -le $writers ]; do
		("$PGTCTL" map c.img $((0x90000000 + i * 0x200000)) $((0x900000000 + i * 0x1000)) 4K \
			>/dev/null 2>>cerr
		echo $? >"rc.$i") &
		i=$((i + 1))
	done
	# and one unmap of what the spec mapped
	("$PGTCTL" unmap c.img 0x10000000 4K >/dev/null 2>>cerr; echo $? >rc.0) &
	wait
	i=0
	while [ $i -le $writers ]; do
		[ "$(cat "rc.$i")" -eq 0 ] || failed=$((failed + 1))
		i=$((i + 1))
	done
	i=1
	while [ $i -le $writers ]; do
		mapped c.img $((0x90000000 + i * 0x200000)) || lost=$((lost + 1))
		i=$((i + 1))
	done
	mapped c.img 0x10000000 && lost=$((lost + 1))
	r=$((r + 1))
done
[ $failed -eq 0 ] && ok "$((rounds * (writers + 1))) edits run $((writers + 1)) at a time all succeed" ||
	not_ok "edits run at once all succeed" "$failed failed: $(head -c 300 cerr)"
[ $lost -eq 0 ] && ok "and no edit is lost" || not_ok "and no edit is lost" "$lost of $((rounds * (writers + 1))) edits lost"

# the lock is flock(2) on the file: flock(1) holds edits off
cp base.img c.img
flock -o c.img sh -c '"$0" map c.img 0x90000000 0x900000000 4K >map.out 2>&1 & echo $! >map.pid
	sleep 0.5; kill -0 "$(cat map.pid)" && ! grep -q mapped map.out && echo waited >held' "$PGTCTL"
i=0
while [ $i -lt 200 ] && kill -0 "$(cat map.pid)" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
[ -e held ] && ok "an edit waits while flock(1) holds the file" || not_ok "an edit waits while flock(1) holds the file"
mapped c.img 0x90000000 && ok "and is made when the lock is released" || not_ok "and is made when the lock is released" "$(cat map.out)"

# a program that takes no lock and changes the file during an edit: the
# edit fails and its change stays
cp base.img c.img
pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o other.img >/dev/null
pgtctl map other.img 0xd0000000 0xd00000000 4K >/dev/null
start_stopped map c.img 0x90000000 0x900000000 4K
cp other.img c.img # in place, as cp does
kill -CONT $pid
wait $pid
status=$?
if [ $status -eq 1 ] && grep -q "another program changed it since pgtctl read it" bg.err; then
	ok "an edit does not overwrite a change made meanwhile without the lock"
else
	not_ok "an edit does not overwrite a change made meanwhile without the lock" "status $status" "$(cat bg.err)"
fi
cmp -s c.img other.img && ok "the other program's change stays" || not_ok "the other program's change stays"
[ -z "$(strays)" ] && ok "and no temporary file is left" || not_ok "and no temporary file is left" "$(strays)"

# a session's save does not overwrite a change made since its load
cp base.img c.img
cat >race.sh <<'EOF'
# race.sh PGTCTL: a batch session loads c.img, another pgtctl edits it, then
# the session edits and saves it
mkfifo script
"$1" batch - <script >bout &
pid=$!
exec 3>script
echo "load c.img" >&3
i=0
while [ $i -lt 200 ] && ! grep -q "^loaded" bout; do sleep 0.05; i=$((i + 1)); done
"$1" map c.img 0xd0000000 0xd00000000 4K >/dev/null
printf 'map 0xa0000000 0xa00000000 4K\nsave\n' >&3
exec 3>&-
wait $pid
EOF
diag "another program changed it" sh race.sh "$PGTCTL"
expect_err_has "c.img: another program changed it since pgtctl read it: not replaced" \
	"save refuses to overwrite a change made after load"
mapped c.img 0xd0000000 && ok "the other edit stays" || not_ok "the other edit stays"
mapped c.img 0xa0000000 && not_ok "the session's table is not written" || ok "the session's table is not written"
printf 'load c.img\nmap 0xb0000000 0xb00000000 4K\nsave\nmap 0xb0001000 0xb00001000 4K\nsave\n' >s.txt
run pgtctl batch s.txt
expect_status 0 "a session saves its file again and again"
mapped c.img 0xb0001000 && ok "each save lands" || not_ok "each save lands"
printf 'load c.img\nsave -\n' >s.txt
diag "the session's own output" pgtctl batch s.txt

# --- 2. devices, FIFOs and standard output are written through ------------
pgtctl emit a.img -o want.raw --raw >/dev/null
pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o want.img >/dev/null
run pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o -
cmp -s out want.img && ok "build -o - writes the IMAGE to standard output" || not_ok "build -o - writes the IMAGE to standard output"
expect_err_has "registers" "and its report to standard error"
run pgtctl emit a.img -o - --raw
cmp -s out want.raw && ok "emit -o - writes to standard output" || not_ok "emit -o - writes to standard output"
pgtctl dump a.img --output yaml -o want.yaml
run pgtctl dump a.img --output yaml -o -
cmp -s out want.yaml && ok "dump --output yaml -o - writes to standard output" || not_ok "dump --output yaml -o - writes to standard output"
pgtctl emit a.img -o /dev/fd/1 --raw 2>/dev/null | cat >got.raw
cmp -s got.raw want.raw && ok "/dev/fd/1 into a pipe is written through" || not_ok "/dev/fd/1 into a pipe is written through"
pgtctl dump a.img --output yaml -o /dev/stdout >got.yaml
cmp -s got.yaml want.yaml && ok "/dev/stdout into a file is written through" || not_ok "/dev/stdout into a file is written through"
[ -L /dev/stdout ] && ok "/dev/stdout is still a link" || not_ok "/dev/stdout is still a link"

mkfifo fifo
timeout 20 cat fifo >got.img &
run pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o fifo
wait
expect_status 0 "build -o FIFO succeeds"
[ -p fifo ] && ok "the FIFO stays a FIFO" || not_ok "the FIFO stays a FIFO" "$(ls -l fifo)"
cmp -s got.img want.img && ok "and its reader gets the IMAGE" || not_ok "and its reader gets the IMAGE"

if [ "$(id -u)" -eq 0 ]; then
	# a private /dev/null: the machine's must survive an old pgtctl too
	mknod null c 1 3
	dev=./null
else
	dev=/dev/null
fi
ln -s "$dev" devlink
for out in "$dev" devlink; do
	run pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o "$out"
	expect_status 0 "build -o $out (a character device) succeeds"
	[ -c "$dev" ] && ok "$dev stays a character device" || not_ok "$dev stays a character device" "$(ls -l "$dev")"
done
[ -L devlink ] && ok "the link to it stays a link" || not_ok "the link to it stays a link"
run pgtctl emit a.img -o "$dev" --elf
expect_status 0 "emit -o DEVICE succeeds"
printf 'load a.img\nsave %s\n' "$dev" >s.txt
run pgtctl batch s.txt
expect_status 0 "a session saves to a device"
[ -c "$dev" ] && ok "$dev is still a character device" || not_ok "$dev is still a character device"

mkdir dir.img
diag "cannot replace" pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o dir.img
[ -d dir.img ] && ok "a directory is not replaced" || not_ok "a directory is not replaced"
# an edit needs a regular file, and says so at once (never waits on a FIFO)
diag "not a regular file" timeout 10 "$PGTCTL" map fifo 0x90000000 0x900000000 4K

# --- 3. attributes, links, permission ------------------------------------
umask 022
cp base.img m.img
chmod 666 m.img
pgtctl map m.img 0x90000000 0x900000000 4K >/dev/null
[ "$(stat -c %a m.img)" = 666 ] && ok "the mode stays 666 under umask 022" || not_ok "the mode stays 666 under umask 022" "$(stat -c %a m.img)"
chmod 2640 m.img
pgtctl unmap m.img 0x90000000 4K >/dev/null
[ "$(stat -c %a m.img)" = 2640 ] && ok "a set-group-ID mode stays" || not_ok "a set-group-ID mode stays" "$(stat -c %a m.img)"
chmod 644 m.img

cp base.img h.img
ln h.img h2.img
diag "other hard links" pgtctl map h.img 0x90000000 0x900000000 4K
expect_err_has "(h2.img)" "names the other link"
[ "$(stat -c %h h.img)" = 2 ] && cmp -s h.img base.img && ok "the links stay one unchanged file" ||
	not_ok "the links stay one unchanged file" "$(stat -c %h h.img) links"
mkdir sub
ln h.img sub/h3.img
ln h.img sub/h4.img
run pgtctl map sub/h3.img 0x90000000 0x900000000 4K
expect_err_has "(sub/h4.img, 2 elsewhere)" "names the links beside it, and counts the others"
rm -r sub h2.img

ln -s missing.img dangling.img
diag "dangling symbolic link" pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o dangling.img
expect_err_has "(to missing.img)" "names where it points"
[ -L dangling.img ] && [ ! -e missing.img ] && ok "the link is left as it was" || not_ok "the link is left as it was"
ln -s dir.img/../missing.img dangling2.img
run pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o dangling2.img
expect_status 1 "a link through a directory to nothing is dangling too"

cp base.img ro.img
chmod 444 ro.img
if [ "$(id -u)" -eq 0 ]; then
	diag "write-protected" pgtctl map ro.img 0x90000000 0x900000000 4K
	expect_err_has "(mode 0444)" "with its mode"
	cmp -s ro.img base.img && ok "root does not replace a write-protected file" ||
		not_ok "root does not replace a write-protected file"

	# as another user: only what the kernel lets that user write
	chmod o+x "$T_DIR"
	mkdir shared
	chmod 777 shared
	cp base.img shared/root.img
	chmod 644 shared/root.img
	cp base.img shared/open.img
	chmod 666 shared/open.img
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	diag "not writable" as_nobody "$PGTCTL" map shared/root.img 0x90000000 0x900000000 4K
	expect_err_has "Permission denied" "with the system's reason"
	[ "$(stat -c %U shared/root.img)" = root ] && cmp -s shared/root.img base.img &&
		ok "another user's read-only file is not replaced" || not_ok "another user's read-only file is not replaced"
	diag "cannot keep its owner" as_nobody "$PGTCTL" map shared/open.img 0x90000000 0x900000000 4K
	[ "$(stat -c %U:%a shared/open.img)" = root:666 ] && cmp -s shared/open.img base.img &&
		ok "a user does not take over another's file" || not_ok "a user does not take over another's file" "$(stat -c %U:%a shared/open.img)"
	[ -z "$(cd shared && strays)" ] && ok "and leaves nothing" || not_ok "and leaves nothing" "$(cd shared && strays)"

	cp base.img o.img
	chown 65534:65534 o.img
	pgtctl map o.img 0x90000000 0x900000000 4K >/dev/null
	[ "$(stat -c %u:%g o.img)" = 65534:65534 ] && ok "root's edit keeps the owner and group" ||
		not_ok "root's edit keeps the owner and group" "$(stat -c %u:%g o.img)"
	mapped o.img 0x90000000 && ok "and is made" || not_ok "and is made"
else
	diag "not writable" pgtctl map ro.img 0x90000000 0x900000000 4K
	cmp -s ro.img base.img && ok "a read-only file is not replaced" || not_ok "a read-only file is not replaced"
	cp base.img o.img
	pgtctl map o.img 0x90000000 0x900000000 4K >/dev/null
	[ "$(stat -c %u:%g o.img)" = "$(id -u):$(id -g)" ] && ok "the edit keeps the owner and group" ||
		not_ok "the edit keeps the owner and group" "$(stat -c %u:%g o.img)"
fi
rm -f ro.img

# --- temporary files, also without O_TMPFILE ----------------------------------
run shimmed map a.img 0x90000000 0x900000000 4K
expect_status 0 "an edit without O_TMPFILE succeeds"
mapped a.img 0x90000000 && ok "and is made" || not_ok "and is made"
[ -z "$(strays)" ] && ok "and leaves nothing" || not_ok "and leaves nothing" "$(strays)"
run shimmed build "$SAMPLES/smmuv3-s1-4k.yaml" -o new.img
cmp -s new.img want.img && ok "a new file without O_TMPFILE" || not_ok "a new file without O_TMPFILE"
[ -z "$(strays)" ] && ok "leaves nothing either" || not_ok "leaves nothing either" "$(strays)"

cp a.img before.img
# (not SIGINT: a shell's background job ignores it)
for sig in TERM HUP; do
	start_stopped map a.img 0xa0000000 0xa00000000 4K
	[ -n "$(strays)" ] && ok "SIG$sig: the writer has its temporary file" || not_ok "SIG$sig: the writer has its temporary file"
	kill -$sig $pid
	kill -CONT $pid
	wait $pid 2>/dev/null
	status=$?
	[ $status -gt 128 ] && ok "SIG$sig ends the writer" || not_ok "SIG$sig ends the writer" "status $status"
	[ -z "$(strays)" ] && ok "SIG$sig: its temporary file goes with it" || not_ok "SIG$sig: its temporary file goes with it" "$(strays)"
	cmp -s a.img before.img && ok "SIG$sig: the file is unchanged" || not_ok "SIG$sig: the file is unchanged"
done

# SIGKILL leaves the file; the next write of the same file removes it, and
# nothing that only looks like it: a live writer's (locked), other files'
start_stopped map a.img 0xa0000000 0xa00000000 4K
left=$(strays)
kill -KILL $pid
wait $pid 2>/dev/null
[ -n "$left" ] && [ "$(strays)" = "$left" ] && ok "SIGKILL leaves the temporary file ($left)" ||
	not_ok "SIGKILL leaves the temporary file" "before: $left" "after: $(strays)"
: >.a.img.pgtctl-Live00
flock .a.img.pgtctl-Live00 sleep 30 &
holder=$!
i=0
while [ $i -lt 100 ] && flock -n .a.img.pgtctl-Live00 true; do sleep 0.05; i=$((i + 1)); done
keep=".a.img.pgtctl-Dead0 .a.img.pgtctl-Dead000 .a.img.pgtctl-Dead00.bak .a.img.pgtctl-Dea_00 .b.img.pgtctl-Dead00 .a.img.4194304.0 .a1.img.4194304.0"
for f in $keep; do echo keep >"$f"; done
mkdir .a.img.pgtctl-Dir000
keep="$keep .a.img.pgtctl-Dir000"
cp base.img 'a[1].img'
pgtctl map a.img 0xb0000000 0xb00000000 4K >/dev/null
pgtctl map 'a[1].img' 0xb0000000 0xb00000000 4K >/dev/null
for f in $left; do
	[ -e "$f" ] && not_ok "the killed writer's file is removed by the next write" "$f" ||
		ok "the killed writer's file is removed by the next write"
done
[ -e .a.img.pgtctl-Live00 ] && ok "a live writer's file is left alone" || not_ok "a live writer's file is left alone"
gone=""
for f in $keep; do [ -e "$f" ] || gone="$gone $f"; done
[ -z "$gone" ] && ok "no other file is removed" || not_ok "no other file is removed" "gone:$gone"
kill $holder
wait $holder 2>/dev/null
rm -rf .a.img.pgtctl-Live00 $keep

# locking needs the filesystem's locks
diag "cannot lock" env FSSHIM_NOLOCK=1 ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	LD_PRELOAD="$SHIM" "$PGTCTL" map a.img 0xc0000000 0xc00000000 4K
expect_err_has "No locks available" "with the system's reason"

# --- 4. an IMAGE keeps what pgtctl does not write ------------------------------
cp base.img seg.img
printf 'device registers' >regs.bin
elftool addload seg.img 0x90000000 regs.bin
cp seg.img seg.orig
diag "which an edit would not keep" pgtctl map seg.img 0xa0000000 0xa00000000 4K
expect_err_has "1 more PT_LOAD segment" "names the extra segment"
cmp -s seg.img seg.orig && ok "the IMAGE with an extra segment is unchanged" || not_ok "the IMAGE with an extra segment is unchanged"
cp base.img note.img
elftool addnote note.img CORE 1 hello
cp note.img note.orig
run pgtctl unmap note.img 0x10000000 4K
expect_status 2 "an IMAGE with another note is not edited"
expect_err_has "1 other note" "names the note"
cmp -s note.img note.orig && ok "and stays as it was" || not_ok "and stays as it was"
run pgtctl translate note.img 0x10000000
expect_status 0 "it is read as before"
run pgtctl emit note.img -o note.only.img --elf
run pgtctl map note.only.img 0xa0000000 0xa00000000 4K
expect_status 0 "its table, emitted alone, is edited"

# --- 6. a file size limit is an error, not SIGXFSZ ------------------------------
cp base.img f.img
(ulimit -f 8; "$PGTCTL" map f.img 0x90000000 0x900000000 4M) >out 2>err
status=$?
if [ $status -eq 1 ] && grep -q "f.img: writing failed: File too large" err; then
	ok "a file size limit: writing failed: File too large, exit 1"
else
	not_ok "a file size limit: writing failed: File too large, exit 1" "status $status" "$(cat err)"
fi
cmp -s f.img base.img && ok "and the file is unchanged" || not_ok "and the file is unchanged"
(ulimit -f 1; "$PGTCTL" emit a.img -o - --raw >lim.raw 2>err)
status=$?
[ $status -eq 1 ] && grep -q "writing failed: File too large" err && ok "also written through to standard output" ||
	not_ok "also written through to standard output" "status $status" "$(cat err)"
[ -z "$(strays)" ] && ok "no temporary file is left at the end" || not_ok "no temporary file is left at the end" "$(strays)"
done_testing
