#!/bin/sh
# SPDX-License-Identifier: MIT
# pgtctl formats: every format, with its page sizes, limits and quirks.
. "$(dirname "$0")/lib.sh"

run pgtctl formats
expect_status 0 "formats succeeds"
expect_golden formats.txt "formats text output"

run pgtctl formats --json
expect_json "formats --json is JSON"
expect_py 'len(j["formats"]) == 13' "thirteen formats listed"
expect_py '[f["name"] for f in j["formats"]] == ["arm-32-lpae-s1","arm-32-lpae-s2","arm-64-lpae-s1","arm-64-lpae-s2","arm-v7s","arm-mali-lpae","amd-iommu-v1","apple-dart","apple-dart2","amd-iommu-v2","intel-vtd-ss","intel-vtd-fs","riscv-iommu"]' \
	"in the kernel's enum order"
expect_py 'next(f for f in j["formats"] if f["name"]=="arm-64-lpae-s1")["quirks"] == ["arm-ns","arm-ttbr1","arm-outer-wbwa","arm-hd"]' \
	"stage-1 quirks are the kernel's four"
expect_py 'next(f for f in j["formats"] if f["name"]=="arm-32-lpae-s1")["max_ias"] == 32' \
	"ARM_32_LPAE_S1 ias limit 32"
expect_py 'next(f for f in j["formats"] if f["name"]=="arm-64-lpae-s2")["default"]["levels"] == 4' \
	"stage 2 at ias 48: four levels"

run pgtctl --json formats extra
expect_status 2 "formats refuses arguments"
expect_py '"error" in j' "the refusal is a JSON error"
done_testing
