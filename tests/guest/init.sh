#!/bin/busybox sh
# SPDX-License-Identifier: MIT
# /init of the busybox guests: the arm64 one, run by the busybox of Debian's
# installer initrd (its e1000 module where the installer keeps it), and the
# riscv64 one, whose initramfs holds Debian's busybox-static, the e1000
# module and the test module rvdomain.ko at the top. Loads the e1000 driver
# behind the IOMMU, brings the interface up (and on riscv64 has rvdomain
# give the NIC a paging domain) and talks to QEMU's user-network gateway
# (pings, and TCP connections that it refuses), so that the NIC's rings and
# buffers are mapped through the kernel's IOMMU page table and the NIC uses
# them; then waits to be dumped.
[ -e /bin/sh ] || /bin/busybox --install -s /bin
mkdir -p /proc /sys
mount -t proc proc /proc
mount -t sysfs sys /sys
# with it, the kernel tells QEMU where its VMCOREINFO is (-device
# vmcoreinfo), which QEMU then puts in its dumps for drgn
if [ -f /qemu_fw_cfg.ko ]; then
	insmod /qemu_fw_cfg.ko
	echo "pgtctl-guest: qemu_fw_cfg loaded: $?" >/dev/console
fi
for ko in /e1000.ko /lib/modules/*/kernel/drivers/net/ethernet/intel/e1000/e1000.ko; do
	[ -f "$ko" ] && break
done
insmod "$ko"
echo "pgtctl-guest: e1000 loaded: $?" >/dev/console
i=0
while [ $i -lt 100 ] && ! ip link set eth0 up 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
ip addr add 10.0.2.15/24 dev eth0
echo "pgtctl-guest: eth0 up: $?" >/dev/console
echo "pgtctl-guest: eth0 iommu domain: $(cat /sys/class/net/eth0/device/iommu_group/type)" >/dev/console
# the riscv64 guest's test module: a paging domain the kernel builds for
# the NIC (tests/guest/rvdomain), before the traffic that then uses it
if [ -f /rvdomain.ko ]; then
	insmod /rvdomain.ko
	echo "pgtctl-guest: rvdomain loaded: $?" >/dev/console
fi
ping -c 10 -i 0.1 10.0.2.2 >/dev/null 2>&1
i=0
while [ $i -lt 20 ]; do
	wget -q -T 1 -O /dev/null http://10.0.2.2:9/ 2>/dev/null
	i=$((i + 1))
done
echo "pgtctl-guest: traffic sent: $i" >/dev/console
sleep 1
echo "pgtctl-guest: ready: 0" >/dev/console
while true; do
	sleep 1000
done
