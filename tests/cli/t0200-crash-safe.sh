#!/bin/sh
# SPDX-License-Identifier: MIT
# Writes are crash-safe: pgtctl is killed at random moments during hundreds
# of edits of a large image, and the image is always the complete old or
# the complete new table; every writer, made to fail by a file size limit
# (as a full disk would), reports the failure and leaves the target as it
# was, with no temporary file left behind.
. "$(dirname "$0")/lib.sh"

rand_below() { echo $(($(od -An -N4 -tu4 /dev/urandom) % $1)); }
# seconds US: microseconds as timeout(1) takes them
seconds() { printf '%d.%06d' $(($1 / 1000000)) $(($1 % 1000000)); }
strays() { ls -A | grep '^\.' | tr '\n' ' '; }

# 64K pages of 4K in 128 level-3 tables: a 600K image takes a while to write
cat >big.yaml <<'Y'
format: arm-64-lpae-s1
mappings:
  - { iova: 0x10000000, paddr: 0x880000000, size: 256M, pgsize: 4K, prot: rw }
Y
pgtctl build big.yaml -o want0.img >/dev/null
STEPS=100
i=1
while [ $i -le $STEPS ]; do
	cp "want$((i - 1)).img" "want$i.img"
	pgtctl map "want$i.img" $((0x40000000 + i * 0x1000)) $((0x900000000 + i * 0x1000)) 4K >/dev/null
	i=$((i + 1))
done
cmp -s want0.img "want$STEPS.img" && not_ok "the edits change the image" || ok "the edits change the image"

# kill at a random moment up to 1.5 times what an edit takes here: the
# fastest of three edits, so that a busy machine during the calibration
# does not put every kill after the edit's end (an edit of a sanitized
# pgtctl on a loaded machine can take well over 65 ms)
cp want0.img t.img
now_us() { echo $(($(date +%s%N) / 1000)); }
span=10000000
for _ in 1 2 3; do
	t0=$(now_us)
	pgtctl map t.img 0x7000000000 0x900000000 4K >/dev/null
	pgtctl unmap t.img 0x7000000000 4K >/dev/null
	t=$((($(now_us) - t0) * 3 / 4 + 1))
	[ $t -lt $span ] && span=$t
done
echo "# an edit takes about $((span * 2 / 3)) us; kills land in the first $span us"
cp want0.img t.img
# until every edit is done and enough kills have landed; when the kills
# miss (the machine got faster), the window shrinks
k=0 attempts=0 killed=0 mixed=0
while [ $attempts -lt 3000 ] && { [ $k -lt $STEPS ] || [ $killed -lt 20 ]; }; do
	attempts=$((attempts + 1))
	[ $k -eq $STEPS ] && { k=0; cp want0.img t.img; }
	[ $((attempts % 100)) -eq 0 ] && [ $killed -lt $((attempts / 20)) ] && span=$((span / 2 + 1))
	n=$((k + 1))
	# (the subshell reports the kill to /dev/null, not the test's stderr)
	(timeout -s KILL "$(seconds "$(rand_below $span)")" \
		"$PGTCTL" map t.img $((0x40000000 + n * 0x1000)) $((0x900000000 + n * 0x1000)) 4K
	echo $? >rc) >/dev/null 2>&1
	[ "$(cat rc)" -eq 137 ] && killed=$((killed + 1))
	if cmp -s t.img "want$n.img"; then
		k=$n
	elif ! cmp -s t.img "want$k.img"; then
		mixed=$((mixed + 1))
		cp "want$k.img" t.img
	fi
done
echo "# $attempts attempts, $killed killed, $k of $STEPS edits completed"
[ $mixed -eq 0 ] && ok "after every kill the image is the old or the new table" ||
	not_ok "after every kill the image is the old or the new table" "$mixed times it was neither"
[ $killed -ge 20 ] && ok "the kills landed ($killed of $attempts runs)" ||
	not_ok "the kills landed" "only $killed of $attempts runs were killed"
[ $k -eq $STEPS ] && ok "every edit completed in the end" || not_ok "every edit completed" "$k of $STEPS"
rm -f rc
[ -z "$(strays)" ] && ok "no temporary file outlives the writes" || not_ok "no temporary file outlives the writes" "$(strays)"

# every writer under a file size limit: an error (not SIGXFSZ), and nothing
# changes
pgtctl build "$SAMPLES/smmuv3-s1-4k.yaml" -o a.img >/dev/null
cp a.img orig.img
# limited BLOCKS CMD...: run CMD with files limited to BLOCKS blocks
limited() {
	blocks=$1
	shift
	(ulimit -f "$blocks"; "$@") >out 2>err
	status=$?
}
expect_failed() {
	if [ "$status" -eq 1 ] && grep -q "writing failed: File too large" err; then ok "$1: fails, saying why"; else
		not_ok "$1: fails, saying why" "status $status" "stderr: $(cat err)"; fi
	if cmp -s a.img orig.img; then ok "$1: a.img unchanged"; else not_ok "$1: a.img unchanged"; fi
	[ -z "$(strays)" ] && ok "$1: no temporary file left" || not_ok "$1: no temporary file left" "$(strays)"
}
limited 8 "$PGTCTL" map a.img 0x90000000 0x900000000 4M
expect_failed "map"
limited 8 "$PGTCTL" unmap a.img 0x10000000 64K
expect_failed "unmap"
limited 8 "$PGTCTL" build "$SAMPLES/smmuv3-s1-4k.yaml" -o a.img
expect_failed "build over an image"
limited 8 "$PGTCTL" build "$SAMPLES/smmuv3-s1-4k.yaml" -o new.img
expect_failed "build of a new image"
[ -e new.img ] && not_ok "a failed build creates no file" || ok "a failed build creates no file"
head -c 20000 /dev/zero >big.raw
cp big.raw big.orig
limited 8 "$PGTCTL" emit big.yaml -o big.raw --raw
if [ "$status" -eq 1 ] && cmp -s big.raw big.orig; then ok "emit: fails and leaves the old file"; else
	not_ok "emit: fails and leaves the old file" "status $status"; fi
limited 1 "$PGTCTL" dump "$SAMPLES/smmuv3-s1-4k.yaml" --output yaml -o big.raw
if [ "$status" -eq 1 ] && cmp -s big.raw big.orig; then ok "dump --output yaml -o: fails and leaves the old file"; else
	not_ok "dump --output yaml -o: fails and leaves the old file" "status $status"; fi
limited 8 "$PGTCTL" repl a.img -c 'map 0x90000000 0x900000000 4M; save'
expect_failed "repl save"

# what a writer killed between naming and renaming its file leaves behind
# (no longer locked) is removed by the next write; a live writer's (locked)
# is left alone
: >.a.img.pgtctl-Dead00
: >.a.img.pgtctl-Live00
flock .a.img.pgtctl-Live00 sleep 30 &
holder=$!
i=0
while [ $i -lt 100 ] && flock -n .a.img.pgtctl-Live00 true; do sleep 0.05; i=$((i + 1)); done
pgtctl map a.img 0x90000000 0x900000000 4M >/dev/null
[ -e .a.img.pgtctl-Dead00 ] && not_ok "a dead writer's temporary file is removed" || ok "a dead writer's temporary file is removed"
[ -e .a.img.pgtctl-Live00 ] && ok "a live writer's temporary file is left alone" || not_ok "a live writer's temporary file is left alone"
kill $holder
wait $holder 2>/dev/null
rm -f .a.img.pgtctl-Live00
pgtctl unmap a.img 0x90000000 4M >/dev/null

# a symlink stays a symlink, and the file keeps its permissions
ln -s a.img link.img
chmod 640 a.img
pgtctl map link.img 0x90000000 0x900000000 4M >/dev/null
[ -L link.img ] && ok "editing through a symlink keeps the link" || not_ok "editing through a symlink keeps the link"
run pgtctl translate a.img 0x90000000
expect_out_has "0x90000000 -> 0x900000000" "the edit went to the link's target"
[ "$(stat -c %a a.img)" = 640 ] && ok "the image keeps its permissions" || not_ok "the image keeps its permissions" "$(stat -c %a a.img)"
done_testing
