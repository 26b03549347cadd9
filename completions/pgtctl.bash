# SPDX-License-Identifier: MIT
# bash completion for pgtctl

_pgtctl_formats="arm-32-lpae-s1 arm-32-lpae-s2 arm-64-lpae-s1 arm-64-lpae-s2 arm-v7s
arm-mali-lpae amd-iommu-v1 apple-dart apple-dart2 amd-iommu-v2 intel-vtd-ss intel-vtd-fs riscv-iommu"
_pgtctl_quirks="arm-ns no-perms arm-mtk-ext arm-mtk-ttbr-ext arm-ttbr1 arm-outer-wbwa arm-hd arm-s2fwb
no-warn sign-extend flush-range flush-range-no-gaps detailed-gather dynamic-top full-va amdv1-encrypt-tables amdv1-force-coherence vtdss-force-coherence vtdss-force-writeable riscv-svnapot-64k riscv-svpbmt x86-64-amd-encrypt-tables"
_pgtctl_kernels="6.12 7.3"
_pgtctl_prot="read write cache noexec mmio priv"
_pgtctl_commands="formats build map unmap translate dump info check scan diff whereis free fault emit
batch repl"
_pgtctl_fault_kinds="arm-smmu arm-smmu-global smmuv3 amd-vi amd-vi-event apple-dart mali"
_pgtctl_global="--json --help --usage --version --kernel"
_pgtctl_source="--dump --raw --base --format --root --ias --oas --pgsize-bitmap --quirks
--coherent-walk --mode --levels --cpu-page-size --endian"

_pgtctl_options()
{
	case $1 in
	formats) echo "$_pgtctl_global" ;;
	build) echo "-o --raw --trace-tlb $_pgtctl_global" ;;
	map) echo "--prot --pgsize --replace --trace-tlb $_pgtctl_global" ;;
	unmap) echo "--split --trace-tlb $_pgtctl_global" ;;
	translate) echo "--verbose $_pgtctl_source $_pgtctl_global" ;;
	dump) echo "--leaves --tree --output -o $_pgtctl_source $_pgtctl_global" ;;
	info) echo "$_pgtctl_source $_pgtctl_global" ;;
	check) echo "$_pgtctl_source $_pgtctl_global" ;;
	scan) echo "--top $_pgtctl_source $_pgtctl_global" ;;
	diff) echo "--pgsize --descriptors $_pgtctl_source $_pgtctl_global" ;;
	whereis) echo "$_pgtctl_source $_pgtctl_global" ;;
	free) echo "--size --align --range $_pgtctl_source $_pgtctl_global" ;;
	fault) echo "--kind --log --verbose $_pgtctl_source $_pgtctl_global" ;;
	emit) echo "-o --raw --elf $_pgtctl_global" ;;
	batch) echo "$_pgtctl_global" ;;
	repl) echo "--commands $_pgtctl_source $_pgtctl_global" ;;
	esac
}

# The FIELD=VALUE names of a fault kind (pgtctl fault --help lists them).
_pgtctl_fault_fields()
{
	case $1 in
	arm-smmu) echo "fsr= fsynr0= far= cbfrsynra= cb=" ;;
	arm-smmu-global) echo "gfsr= gfsynr0= gfsynr1= gfsynr2=" ;;
	smmuv3) echo "evt0= evt1= evt2= evt3=" ;;
	amd-vi) echo "address= flags= domain= devid=" ;;
	amd-vi-event) echo "event= address= flags= pasid= domain= devid=" ;;
	apple-dart) echo "error= addr= addr_lo= addr_hi= hw=" ;;
	mali) echo "faultstatus= faultaddress= as=" ;;
	esac
}

_pgtctl()
{
	local cur prev cmd i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}

	case $prev in
	--format)
		COMPREPLY=($(compgen -W "$_pgtctl_formats" -- "$cur"))
		return ;;
	--quirks)
		local pre=${cur%,*} last=${cur##*,}
		[ "$pre" = "$cur" ] && pre="" || pre="$pre,"
		COMPREPLY=($(compgen -P "$pre" -W "$_pgtctl_quirks" -- "$last"))
		return ;;
	--prot | -p)
		local pre=${cur%,*} last=${cur##*,}
		[ "$pre" = "$cur" ] && pre="" || pre="$pre,"
		COMPREPLY=($(compgen -P "$pre" -W "$_pgtctl_prot" -- "$last"))
		return ;;
	--coherent-walk)
		COMPREPLY=($(compgen -W "yes no" -- "$cur"))
		return ;;
	--kind)
		COMPREPLY=($(compgen -W "$_pgtctl_fault_kinds" -- "$cur"))
		return ;;
	--log)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--output)
		COMPREPLY=($(compgen -W "text yaml" -- "$cur"))
		return ;;
	--endian)
		COMPREPLY=($(compgen -W "little big" -- "$cur"))
		return ;;
	--kernel)
		COMPREPLY=($(compgen -W "$_pgtctl_kernels" -- "$cur"))
		return ;;
	--dump | --raw | -o)
		if [ "$prev" != --raw ] || [ "$cmd" != build ]; then
			COMPREPLY=($(compgen -f -- "$cur"))
			return
		fi ;;
	--base | --root | --ias | --oas | --pgsize-bitmap | --pgsize | -s | --mode | --levels | --cpu-page-size | --top | -n | --size | --align | --range)
		return ;;
	esac

	cmd=""
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*)
			case " $_pgtctl_commands " in *" ${COMP_WORDS[i]} "*)
				cmd=${COMP_WORDS[i]}
				break ;;
			esac ;;
		esac
	done

	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$_pgtctl_global" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$_pgtctl_commands" -- "$cur"))
		fi
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_pgtctl_options "$cmd")" -- "$cur"))
		return
	fi
	case $cmd in
	formats) ;;
	fault)
		local kind=""
		for ((i = 1; i < COMP_CWORD; i++)); do
			case ${COMP_WORDS[i]} in
			--kind) kind=${COMP_WORDS[i + 1]} ;;
			--kind=*) kind=${COMP_WORDS[i]#--kind=} ;;
			esac
		done
		if [[ $cur == hw=* ]]; then
			COMPREPLY=($(compgen -P hw= -W "t8020 t8103 t6000 t8110" -- "${cur#hw=}"))
		elif [ -n "$kind" ]; then
			COMPREPLY=($(compgen -W "$(_pgtctl_fault_fields "$kind")" -- "$cur") $(compgen -f -- "$cur"))
			compopt -o nospace 2>/dev/null
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	*) COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}
complete -o filenames -F _pgtctl pgtctl
