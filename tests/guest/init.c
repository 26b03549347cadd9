// SPDX-License-Identifier: MIT
/*
 * The whole userland of the guest test: pid 1 of a Linux 6.12 guest whose
 * e1000 NIC sits behind QEMU's AMD-Vi IOMMU. It loads the driver, brings
 * the interface up and sends a few datagrams to QEMU's user network, so
 * that the kernel's DMA API maps the NIC's descriptor rings and buffers
 * through its AMD v1 page table (the table the test then finds in a dump
 * of the guest) and the NIC uses them; says so on the console, and waits
 * to be dumped.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* "pgtctl-guest: WHAT RESULT" on the console, where the test reads it */
static void say(const char *what, long result)
{
	char msg[128];
	int n = snprintf(msg, sizeof(msg), "pgtctl-guest: %s %ld\n", what, result);
	int fd = open("/dev/console", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, msg, (size_t)n) != n)
			n = 0;
		close(fd);
	}
}

int main(void)
{
	/* With it, the kernel tells QEMU where its VMCOREINFO is (QEMU's
	 * -device vmcoreinfo), which QEMU then puts in its dumps for drgn. */
	int fd = open("/qemu_fw_cfg.ko", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		say("qemu_fw_cfg loaded:", syscall(SYS_finit_module, fd, "", 0));
	fd = open("/e1000.ko", O_RDONLY | O_CLOEXEC);
	say("e1000 loaded:", syscall(SYS_finit_module, fd, "", 0));

	/* The interface appears once the PCI probe has run. */
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr;
	long up = -1;
	for (int tries = 0; tries < 100 && up; tries++) {
		memset(&ifr, 0, sizeof(ifr));
		strcpy(ifr.ifr_name, "eth0");
		if (!ioctl(s, SIOCGIFFLAGS, &ifr)) {
			ifr.ifr_flags |= IFF_UP;
			up = ioctl(s, SIOCSIFFLAGS, &ifr);
		}
		if (up)
			usleep(100000);
	}
	say("eth0 up:", up);

	/* QEMU's user network: the guest is 10.0.2.15, the gateway 10.0.2.2.
	 * Each datagram (and the ARP exchange before the first) makes the
	 * NIC read its transmit ring and write its receive ring. */
	struct sockaddr_in *a = (struct sockaddr_in *)&ifr.ifr_addr;
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = inet_addr("10.0.2.15");
	long addr = ioctl(s, SIOCSIFADDR, &ifr);
	a->sin_addr.s_addr = inet_addr("255.255.255.0");
	addr |= ioctl(s, SIOCSIFNETMASK, &ifr);
	say("eth0 address:", addr);
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(9)};
	to.sin_addr.s_addr = inet_addr("10.0.2.2");
	long sent = 0;
	for (int i = 0; i < 20; i++) {
		if (sendto(s, "pgtctl", 6, 0, (struct sockaddr *)&to, sizeof(to)) == 6)
			sent++;
		usleep(50000);
	}
	say("datagrams sent:", sent);
	sleep(1);
	say("ready:", 0);
	for (;;)
		pause();
}
