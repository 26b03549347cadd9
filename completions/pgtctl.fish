# SPDX-License-Identifier: MIT
# fish completion for pgtctl

set -l commands formats build map unmap translate dump info check scan diff whereis free fault devices emit batch repl help
set -l formats arm-32-lpae-s1 arm-32-lpae-s2 arm-64-lpae-s1 arm-64-lpae-s2 arm-v7s arm-mali-lpae amd-iommu-v1 apple-dart apple-dart2 amd-iommu-v2 intel-vtd-ss intel-vtd-fs riscv-iommu
set -l source_cmds translate dump info check scan diff whereis free fault devices repl

# Is the fault kind given on the line (--kind KIND or --kind=KIND) $argv[1]?
function __pgtctl_kind
    set -l prev
    for w in (commandline -opc)
        if test "$w" = --kind=$argv[1]; or test "$prev" = --kind -a "$w" = $argv[1]
            return 0
        end
        set prev $w
    end
    return 1
end

complete -c pgtctl -f
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a formats -d 'list formats'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a build -d 'build a table from a YAML spec'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a map -d 'map a range in an IMAGE'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a unmap -d 'unmap a range in an IMAGE'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a translate -d 'translate IOVAs'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a dump -d 'print mappings, leaves, the tree, or a spec'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a info -d 'format, config, registers, memory use'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a check -d 'malformed descriptors, loops, bad pointers'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a scan -d 'find candidate roots in a dump'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a diff -d 'differences of two tables'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a whereis -d 'IOVA ranges that map a physical range'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a free -d 'unmapped IOVA ranges'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a fault -d 'explain IOMMU faults against the table'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a devices -d 'the IOMMU\'s devices and their tables'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a emit -d 'convert an IMAGE'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a batch -d 'run commands from a file'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a repl -d 'interactive shell'
complete -c pgtctl -n "not __fish_seen_subcommand_from $commands" -a help -d 'the commands, or one command\'s options'

complete -c pgtctl -s j -l json -d 'JSON output'
complete -c pgtctl -s '?' -l help -d 'help'
complete -c pgtctl -l usage -d 'a short usage message'
complete -c pgtctl -s V -l version -d 'the version'
complete -c pgtctl -l kernel -x -a '6.12 7.3' -d 'the Linux whose tables to reproduce'

complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l dump -r -F -d 'an ELF core or kdump'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l raw -r -F -d 'a flat memory file'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l base -x -d 'physical address of the --raw file'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l format -x -a "$formats" -d 'the table format'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l root -x -d 'root table address(es)'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l ias -x -d 'input address size'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l oas -x -d 'output address size'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l pgsize-bitmap -x -d 'page sizes'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l quirks -x -a 'arm-ns no-perms arm-mtk-ext arm-mtk-ttbr-ext arm-ttbr1 arm-outer-wbwa arm-hd arm-s2fwb no-warn sign-extend flush-range flush-range-no-gaps detailed-gather dynamic-top full-va amdv1-encrypt-tables amdv1-force-coherence vtdss-force-coherence vtdss-force-writeable riscv-svnapot-64k riscv-svpbmt x86-64-amd-encrypt-tables' -d 'quirks'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l coherent-walk -x -a 'yes no' -d 'coherent walker'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l mode -x -a '1 2 3 4 5 6' -d 'amd-iommu-v1 levels'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l levels -x -a '3 4 5' -d 'amd-iommu-v2, intel-vtd-ss levels'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l cpu-page-size -x -d 'the kernel PAGE_SIZE'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l endian -x -a 'little big' -d 'descriptor byte order'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l iommu -x -a 'amd-vi intel-vtd smmuv3 riscv' -d 'the IOMMU'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l iommu-reg -x -d 'its root register'
complete -c pgtctl -n "__fish_seen_subcommand_from $source_cmds" -l device -x -d 'a device: BDF or ID, /PASID'
complete -c pgtctl -n "__fish_seen_subcommand_from devices" -l all -d 'invalid and abort entries too'

complete -c pgtctl -n "__fish_seen_subcommand_from build" -s o -r -F -d 'output IMAGE'
complete -c pgtctl -n "__fish_seen_subcommand_from build emit" -l raw -d 'flat memory'
complete -c pgtctl -n "__fish_seen_subcommand_from build map unmap" -l trace-tlb -d 'print TLB maintenance'
complete -c pgtctl -n "__fish_seen_subcommand_from map" -l prot -x -a 'read write cache noexec mmio priv rw' -d 'protection'
complete -c pgtctl -n "__fish_seen_subcommand_from map" -l pgsize -x -d 'page size'
complete -c pgtctl -n "__fish_seen_subcommand_from map" -l replace -d 'the kernel behaviour over mappings'
complete -c pgtctl -n "__fish_seen_subcommand_from unmap" -l split -d 'split a block as 6.12 did'
complete -c pgtctl -n "__fish_seen_subcommand_from translate fault devices" -s v -l verbose -d 'show the walk'
complete -c pgtctl -n "__fish_seen_subcommand_from fault" -l kind -x -a 'arm-smmu arm-smmu-global smmuv3 amd-vi amd-vi-event intel-vtd riscv apple-dart mali' -d 'the fault kind'
complete -c pgtctl -n "__fish_seen_subcommand_from fault" -l log -r -F -d 'kernel log text'
complete -c pgtctl -n "__fish_seen_subcommand_from fault; and __pgtctl_kind arm-smmu" -a 'fsr= fsynr0= far= cbfrsynra= cb=' -d 'arm-smmu field'
complete -c pgtctl -n "__fish_seen_subcommand_from fault; and __pgtctl_kind arm-smmu-global" -a 'gfsr= gfsynr0= gfsynr1= gfsynr2=' -d 'arm-smmu-global field'
complete -c pgtctl -n "__fish_seen_subcommand_from fault; and __pgtctl_kind smmuv3" -a 'evt0= evt1= evt2= evt3=' -d 'smmuv3 field'
complete -c pgtctl -n "__fish_seen_subcommand_from fault; and __pgtctl_kind amd-vi" -a 'address= flags= domain= devid= pasid=' -d 'amd-vi field'
complete -c pgtctl -n "__fish_seen_subcommand_from fault; and __pgtctl_kind amd-vi-event" -a 'event= address= flags= pasid= domain= devid=' -d 'amd-vi-event field'
complete -c pgtctl -n "__fish_seen_subcommand_from fault; and __pgtctl_kind intel-vtd" -a 'reason= addr= sid= type= pasid= seg= frcd_lo= frcd_hi=' -d 'intel-vtd field'
complete -c pgtctl -n "__fish_seen_subcommand_from fault; and __pgtctl_kind riscv" -a 'cause= ttyp= did= pid= priv= iotval= iotval2= hdr=' -d 'riscv field'
complete -c pgtctl -n "__fish_seen_subcommand_from fault; and __pgtctl_kind apple-dart" -a 'error= addr= addr_lo= addr_hi= hw=' -d 'apple-dart field'
complete -c pgtctl -n "__fish_seen_subcommand_from fault; and __pgtctl_kind mali" -a 'faultstatus= faultaddress= as=' -d 'mali field'
complete -c pgtctl -n "__fish_seen_subcommand_from dump" -l leaves -d 'one line per leaf'
complete -c pgtctl -n "__fish_seen_subcommand_from dump" -l tree -d 'the tables'
complete -c pgtctl -n "__fish_seen_subcommand_from dump" -l output -x -a 'text yaml' -d 'form'
complete -c pgtctl -n "__fish_seen_subcommand_from dump emit" -s o -r -F -d 'output file'
complete -c pgtctl -n "__fish_seen_subcommand_from scan" -l top -x -d 'candidates to show'
complete -c pgtctl -n "__fish_seen_subcommand_from scan" -l budget -x -d 'descriptors the walks may read'
complete -c pgtctl -n "__fish_seen_subcommand_from diff" -l pgsize -d 'compare page sizes'
complete -c pgtctl -n "__fish_seen_subcommand_from diff" -l descriptors -d 'descriptor by descriptor'
complete -c pgtctl -n "__fish_seen_subcommand_from free" -l size -x -d 'size'
complete -c pgtctl -n "__fish_seen_subcommand_from free" -l align -x -d 'alignment'
complete -c pgtctl -n "__fish_seen_subcommand_from free" -l range -x -d 'LO-HI'
complete -c pgtctl -n "__fish_seen_subcommand_from emit" -l elf -d 'an IMAGE'
complete -c pgtctl -n "__fish_seen_subcommand_from repl" -l commands -x -d 'commands to run'
complete -c pgtctl -n "__fish_seen_subcommand_from help" -a "$commands"
complete -c pgtctl -n "__fish_seen_subcommand_from $commands; and not __fish_seen_subcommand_from help" -F
